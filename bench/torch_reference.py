"""A pure-PyTorch stand-in for ``kymatio.torch`` 0.4: the same scattering algorithm with the same
tensor operations, so that torch autograd gives forward + backward the way kymatio.torch does.

Kymatio is not installable on the project's machines, so bench/bench_torch.py times wst.torch
against this module instead. It is written from the specifications in the shared docs
(docs/scattering-formulas.md F§1.9 and F§2.8, docs/scattering-gradients.md §3 and §7), not from
Kymatio's code, and reproduces what its torch backend does step by step:

* reflect padding (``torch.nn.functional.pad(..., mode='reflect')``, as Kymatio's torch ``Pad``);
* "rfft" = the full complex DFT of a real signal: the real tensor is stacked with zeros as
  (Re, Im) pairs and viewed as complex, then ``torch.fft.fft`` / ``fft2`` (no half spectra, F§0);
* pointwise products of full spectra with real filters (Kymatio's ``cdgmm`` with a real filter);
* Fourier-domain subsampling by reshape + mean over the aliases (Kymatio's ``subsample_fourier``),
  on every 1D path (a factor 1 included) and on every 2D path but the j1 = 0 wavelets (F§2.8);
* complex inverse DFT (``torch.fft.ifft`` / ``ifft2``), "irfft" = its real part;
* the modulus as a custom autograd Function, Kymatio's "ModulusStable" (gradients §3):
  sqrt(Re² + Im²), backward grad·z/|z| and 0 where |z| = 0;
* unpadding by slicing, channels stacked in Kymatio's order (F§1.12, F§2.9).

Filters come from wst's NumPy frontend attributes (Kymatio's layout: ``phi_f``, ``psi1_f``,
``psi2_f`` in 1D, ``phi``, ``psi`` in 2D). As kymatio.torch, the modules keep every stored filter
level as float32 and promote them to the input's dtype (``.double()``); 1D can keep the float64
NumPy values instead (``float32_filters=False``, the NumPy frontend's numbers).

    python3 bench/torch_reference.py --check     # faithfulness against wst and Kymatio's files

(run with PYTHONPATH pointing at a build's python/ folder, e.g. build/python).
"""
import argparse
import os
import sys

import numpy as np
import torch

__all__ = ['ModulusStable', 'TorchScattering1D', 'TorchScattering2D']


class ModulusStable(torch.autograd.Function):
    """|z| of a complex tensor with Kymatio's torch gradient (docs/scattering-gradients.md §3):
    forward sqrt(Re² + Im²) on the (Re, Im) view, backward grad·z/|z|, 0 where |z| = 0."""

    @staticmethod
    def forward(ctx, z):
        r = torch.view_as_real(z)
        norm = torch.sqrt(r[..., 0] * r[..., 0] + r[..., 1] * r[..., 1])
        ctx.save_for_backward(z, norm)
        return norm

    @staticmethod
    def backward(ctx, grad):
        z, norm = ctx.saved_tensors
        out = z * (grad / norm)
        return out.masked_fill(norm == 0, 0)


modulus = ModulusStable.apply


def _reflect_index(n_in, left, n_out):
    """The reflect map of F§0 (NumPy 'reflect'), also valid when a pad is >= n_in."""
    t = np.arange(n_out) - left
    if n_in == 1:
        return np.zeros(n_out, dtype=np.int64)
    period = 2 * (n_in - 1)
    t = np.mod(t, period)
    return np.where(t >= n_in, period - t, t).astype(np.int64)


def _complex(u):
    """A real tensor as complex with zero imaginary part (Kymatio's "rfft" input: the (Re, Im)
    pairs stacked on a last axis, then viewed as complex; unlike torch.complex, the autograd
    graph keeps no copy of u or of the zeros)."""
    return torch.view_as_complex(torch.stack((u, torch.zeros_like(u)), dim=-1))


class _Base(torch.nn.Module):
    def _filter(self, name, array, float32):
        a = np.asarray(array, dtype=np.float64)
        t = torch.from_numpy(a.astype(np.float32) if float32 else a.copy())
        self.register_buffer(name, t.to(self._dtype))
        return name


class TorchScattering2D(_Base):
    """kymatio.torch.Scattering2D(J, shape, L, max_order)'s cascade (F§2.8) in PyTorch.

    ``filters``: optional (phi_levels, psi) in wst's/Kymatio's attribute layout; by default
    those of ``wst.Scattering2D(J, shape, L)``. ``dtype``: the computation's dtype.
    """

    def __init__(self, J, shape, L=8, max_order=2, dtype=torch.float32, filters=None):
        super().__init__()
        import wst
        self._dtype = dtype
        self.J, self.L, self.max_order = J, L, max_order
        self.M, self.N = shape
        ref = wst.Scattering2D(J, shape, L=L, threads=1)
        self.Mp, self.Np = ref._M_padded, ref._N_padded
        self.pad_size = list(ref.pad.pad_size)  # [top, bottom, left, right]
        phi_levels, psi = filters if filters is not None else (ref.phi['levels'], ref.psi)
        self.phi = [self._filter(f'phi_{r}', phi_levels[r], True) for r in range(J)]
        self.psi = []
        for n, d in enumerate(psi):
            self.psi.append({'j': d['j'], 'theta': d['theta'],
                             'levels': [self._filter(f'psi_{n}_{r}', lv, True)
                                        for r, lv in enumerate(d['levels'])]})
        top, bottom, left, right = self.pad_size
        self._fpad = max(top, bottom) < self.M and max(left, right) < self.N
        if not self._fpad:  # Kymatio has a branch for pad >= size; the same reflect map
            self.register_buffer('_rows', torch.from_numpy(_reflect_index(self.M, top, self.Mp)))
            self.register_buffer('_cols', torch.from_numpy(_reflect_index(self.N, left, self.Np)))

    def _f(self, name):
        return getattr(self, name)

    def pad(self, x):
        top, bottom, left, right = self.pad_size
        if self._fpad:
            return torch.nn.functional.pad(x.unsqueeze(1), (left, right, top, bottom),
                                           mode='reflect').squeeze(1)
        return x.index_select(-2, self._rows).index_select(-1, self._cols)

    @staticmethod
    def subsample_fourier(x, k):
        """Sub_k of F§0: the mean over the k × k aliases, by reshape + mean."""
        M, N = x.shape[-2:]
        return x.reshape(x.shape[:-2] + (k, M // k, k, N // k)).mean(dim=(-4, -2))

    @staticmethod
    def rfft(u):
        return torch.fft.fft2(_complex(u))

    @staticmethod
    def irfft(y):
        return torch.fft.ifft2(y).real

    @staticmethod
    def unpad(s):
        return s[..., 1:-1, 1:-1]

    def forward(self, x):
        batch_shape = x.shape[:-2]
        x = x.reshape((-1,) + tuple(x.shape[-2:]))
        J = self.J
        U_0_c = self.rfft(self.pad(x))
        out = [self.unpad(self.irfft(self.subsample_fourier(U_0_c * self._f(self.phi[0]), 2 ** J)))]
        order2 = []
        for n1, p1 in enumerate(self.psi):
            j1 = p1['j']
            U_1_c = U_0_c * self._f(p1['levels'][0])
            if j1 > 0:  # the 2D cascade skips Sub at j1 = 0 (F§2.8)
                U_1_c = self.subsample_fourier(U_1_c, 2 ** j1)
            U_1_c = modulus(torch.fft.ifft2(U_1_c))
            U_1_c = self.rfft(U_1_c)
            S_1 = self.irfft(self.subsample_fourier(U_1_c * self._f(self.phi[j1]), 2 ** (J - j1)))
            out.append(self.unpad(S_1))
            if self.max_order < 2:
                continue
            for p2 in self.psi:
                j2 = p2['j']
                if j2 <= j1:
                    continue
                U_2_c = U_1_c * self._f(p2['levels'][j1])
                U_2_c = modulus(torch.fft.ifft2(self.subsample_fourier(U_2_c, 2 ** (j2 - j1))))
                U_2_c = self.rfft(U_2_c)
                S_2 = self.irfft(self.subsample_fourier(U_2_c * self._f(self.phi[j2]),
                                                        2 ** (J - j2)))
                order2.append(self.unpad(S_2))
        S = torch.stack(out + order2, dim=-3)
        return S.reshape(batch_shape + S.shape[-3:])


class TorchScattering1D(_Base):
    """kymatio.torch.Scattering1D(J, shape, Q, max_order)'s cascade (F§1.9, default T = 2^J,
    local averaging, stride T) in PyTorch, with wst.Scattering1D's filters."""

    def __init__(self, J, shape, Q=1, max_order=2, dtype=torch.float32, float32_filters=True):
        super().__init__()
        import wst
        self._dtype = dtype
        self.J, self.max_order = J, max_order
        ref = wst.Scattering1D(J, shape, Q=Q, max_order=max_order, threads=1)
        self.N_in = ref.N
        self.N = ref._N_padded
        self.pad_left, self.pad_right = ref.pad_left, ref.pad_right
        self.ls = ref.log2_stride
        self.i0, self.i1 = ref.ind_start[self.ls], ref.ind_end[self.ls]
        f32 = float32_filters
        self.phi = [self._filter(f'phi_{r}', lv, f32) for r, lv in enumerate(ref.phi_f['levels'])]
        self.psi1 = [{'j': d['j'], 'level0': self._filter(f'psi1_{n}', d['levels'][0], f32)}
                     for n, d in enumerate(ref.psi1_f)]
        self.psi2 = [{'j': d['j'], 'levels': [self._filter(f'psi2_{n}_{r}', lv, f32)
                                              for r, lv in enumerate(d['levels'])]}
                     for n, d in enumerate(ref.psi2_f)]

    def _f(self, name):
        return getattr(self, name)

    def pad(self, x):
        return torch.nn.functional.pad(x.unsqueeze(1), (self.pad_left, self.pad_right),
                                       mode='reflect').squeeze(1)

    @staticmethod
    def subsample_fourier(x, k):
        """Sub_k of F§0: the mean over the k aliases, by reshape + mean. The 1D cascade calls it
        on every path, k = 1 included (F§1.9 writes Sub_{2^{k1}} with k1 = 0 allowed, unlike the
        2D "j1 = 0: no Sub"), where it is a mean over an axis of length 1: a copy."""
        N = x.shape[-1]
        return x.reshape(x.shape[:-1] + (k, N // k)).mean(dim=-2)

    @staticmethod
    def rfft(u):
        return torch.fft.fft(_complex(u))

    @staticmethod
    def irfft(y):
        return torch.fft.ifft(y).real

    def unpad(self, s):
        return s[..., self.i0:self.i1]

    def forward(self, x):
        batch_shape = x.shape[:-1]
        x = x.reshape(-1, x.shape[-1])
        ls = self.ls
        U_0_hat = self.rfft(self.pad(x))
        S_0 = self.irfft(self.subsample_fourier(U_0_hat * self._f(self.phi[0]), 2 ** ls))
        out = [self.unpad(S_0)]
        order2 = []
        for p1 in self.psi1:
            j1 = p1['j']
            k1 = min(j1, ls)
            U_1_c = self.subsample_fourier(U_0_hat * self._f(p1['level0']), 2 ** k1)
            U_1_m = modulus(torch.fft.ifft(U_1_c))
            U_1_hat = self.rfft(U_1_m)
            S_1 = self.irfft(self.subsample_fourier(U_1_hat * self._f(self.phi[k1]),
                                                    2 ** (ls - k1)))
            out.append(self.unpad(S_1))
            if self.max_order < 2:
                continue
            for p2 in self.psi2:
                j2 = p2['j']
                if j2 <= j1:
                    continue
                a2 = min(j2, ls)
                k2 = max(a2 - k1, 0)
                U_2_c = self.subsample_fourier(U_1_hat * self._f(p2['levels'][k1]), 2 ** k2)
                U_2_m = modulus(torch.fft.ifft(U_2_c))
                U_2_hat = self.rfft(U_2_m)
                S_2 = self.irfft(self.subsample_fourier(U_2_hat * self._f(self.phi[k1 + k2]),
                                                        2 ** max(ls - a2, 0)))
                order2.append(self.unpad(S_2))
        S = torch.stack(out + order2, dim=-2)
        return S.reshape(batch_shape + S.shape[-2:])


# ---- faithfulness check -------------------------------------------------------------------------

def _rel(a, b):
    """max|a − b| / max|b| over the whole array."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.abs(a - b).max() / np.abs(b).max())


def _rel_per_channel(a, b, axis):
    """The largest over channels (axis) of max|Δ| / max|ref| within the channel."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    a, b = np.moveaxis(a, axis, 0), np.moveaxis(b, axis, 0)
    worst = 0.0
    for ac, bc in zip(a, b):
        scale = np.abs(bc).max()
        if scale > 0:
            worst = max(worst, float(np.abs(ac - bc).max() / scale))
    return worst


def _vjp(module, x, g):
    xt = torch.from_numpy(np.ascontiguousarray(x)).requires_grad_(True)
    y = module(xt)
    y.backward(torch.from_numpy(np.ascontiguousarray(g)).to(y.dtype))
    return y.detach().numpy(), xt.grad.numpy()


def _kymatio_2d_levels(phi0, psi0, J):
    """Kymatio's stored 2D filter levels from its level-0 files, by the crop of F§2.7."""
    def crop(F, r):
        M, N = F.shape
        Mr, Nr = M >> r, N >> r
        rows = np.r_[0:Mr // 2, M - Mr // 2:M]
        cols = np.r_[0:Nr // 2, N - Nr // 2:N]
        return F[np.ix_(rows, cols)]
    L = psi0.shape[0] // J
    phi = [crop(phi0, r) for r in range(J)]
    psi = [{'j': n // L, 'theta': n % L,
            'levels': [crop(psi0[n], r) for r in range(min(n // L + 1, max(J - 1, 1)))]}
           for n in range(psi0.shape[0])]
    return phi, psi


def check(shared):
    """Runs every comparison, prints a table, returns True if all are within tolerance."""
    import wst
    import wst.torch as wt
    torch.set_num_threads(1)
    kym = os.path.join(shared, 'reference', 'kymatio')
    dev, more = os.path.join(kym, 'dev'), os.path.join(kym, 'v04-more')
    rows = []  # (what, whole, per channel or None, tolerance)

    def add(what, whole, per=None, tol=1e-6):
        rows.append((what, whole, per, tol))
        print(f"  {what}: {whole:.2e}" + (f" (per channel {per:.2e})" if per is not None else ""),
              flush=True)

    f64 = torch.float64
    rng = np.random.default_rng(0)
    # 2D, the MNIST shape of the benchmark: the torch reference against wst's NumPy frontend.
    x2 = rng.random((16, 28, 28))
    ref64 = TorchScattering2D(2, (28, 28), dtype=f64)
    with torch.no_grad():
        s_ref = ref64(torch.from_numpy(x2)).numpy()
    s_wst = wst.Scattering2D(2, (28, 28), threads=1)(x2)
    add("2D 16x28x28 J=2 float64: reference vs wst NumPy", _rel(s_ref, s_wst),
        _rel_per_channel(s_ref, s_wst, 1))
    x2f = x2.astype(np.float32)
    ref32 = TorchScattering2D(2, (28, 28), dtype=torch.float32)
    with torch.no_grad():
        s_ref32 = ref32(torch.from_numpy(x2f)).numpy()
    add("2D 16x28x28 J=2 float32: reference vs wst NumPy float64", _rel(s_ref32, s_wst),
        _rel_per_channel(s_ref32, s_wst, 1), tol=1e-5)
    # 2D against Kymatio's own output, with wst's filters and with Kymatio's own float32 filters.
    xk = np.load(os.path.join(dev, 's2d_J2_L8_32x32_x_random.npy'))
    sk = np.load(os.path.join(dev, 's2d_J2_L8_32x32_S_random.npy'))
    with torch.no_grad():
        s = TorchScattering2D(2, (32, 32), dtype=f64)(torch.from_numpy(xk)).numpy()
    add("2D dev s2d_J2_L8_32x32 (Kymatio NumPy), wst's filters", _rel(s, sk),
        _rel_per_channel(s, sk, 1))
    kfilters = _kymatio_2d_levels(np.load(os.path.join(dev, 's2d_J2_L8_32x32_filters_phi_f.npy')),
                                  np.load(os.path.join(dev, 's2d_J2_L8_32x32_filters_psi_f.npy')), 2)
    kref = TorchScattering2D(2, (32, 32), dtype=f64, filters=kfilters)
    with torch.no_grad():
        s = kref(torch.from_numpy(xk)).numpy()
    add("2D dev s2d_J2_L8_32x32 (Kymatio NumPy), Kymatio's filters", _rel(s, sk),
        _rel_per_channel(s, sk, 1))
    # 2D gradients: Kymatio's torch autograd VJP, and wst.torch's on the MNIST shape.
    xg = np.load(os.path.join(more, 'grad_2d_J2_L8_32_x.npy'))
    gg = np.load(os.path.join(more, 'grad_2d_J2_L8_32_g.npy'))
    vk = np.load(os.path.join(more, 'grad_2d_J2_L8_32_vjp.npy'))
    add("2D grad_2d_J2_L8_32 VJP (kymatio.torch autograd), Kymatio's filters",
        _rel(_vjp(kref, xg, gg)[1], vk))
    add("2D grad_2d_J2_L8_32 VJP (kymatio.torch autograd), wst's filters",
        _rel(_vjp(TorchScattering2D(2, (32, 32), dtype=f64), xg, gg)[1], vk))
    g2 = rng.standard_normal(s_wst.shape)
    _, v_ref = _vjp(ref64, x2, g2)
    xt = torch.from_numpy(x2).requires_grad_(True)
    wt.Scattering2D(2, (28, 28), threads=1)(xt).backward(torch.from_numpy(g2))
    add("2D 16x28x28 float64 VJP: reference autograd vs wst.torch", _rel(v_ref, xt.grad.numpy()))

    # 1D, the benchmark's size: 65536, J=8, Q=8 (float64 NumPy filters, as the NumPy frontend).
    x1 = rng.standard_normal((1, 65536))
    r1 = TorchScattering1D(8, 65536, Q=8, dtype=f64, float32_filters=False)
    with torch.no_grad():
        s_ref = r1(torch.from_numpy(x1)).numpy()
    s_wst = wst.Scattering1D(8, 65536, Q=8, threads=1)(x1)
    add("1D 1x65536 J=8 Q=8 float64: reference vs wst NumPy", _rel(s_ref, s_wst),
        _rel_per_channel(s_ref, s_wst, 1))
    r1_32 = TorchScattering1D(8, 65536, Q=8, dtype=torch.float32)
    with torch.no_grad():
        s_ref32 = r1_32(torch.from_numpy(x1.astype(np.float32))).numpy()
    add("1D 1x65536 J=8 Q=8 float32: reference vs wst NumPy float64", _rel(s_ref32, s_wst),
        _rel_per_channel(s_ref32, s_wst, 1), tol=1e-5)
    g1 = rng.standard_normal(s_wst.shape)
    r1t = TorchScattering1D(8, 65536, Q=8, dtype=f64)  # float32 filter levels, as kymatio.torch
    _, v_ref = _vjp(r1t, x1, g1)
    xt = torch.from_numpy(x1).requires_grad_(True)
    wt.Scattering1D(8, 65536, Q=8, threads=1)(xt).backward(torch.from_numpy(g1))
    add("1D 1x65536 float64 VJP: reference autograd vs wst.torch", _rel(v_ref, xt.grad.numpy()))
    # 1D against Kymatio's files.
    xk = np.load(os.path.join(dev, 's1d_J6_Q8_N4096_x_random.npy'))
    sk = np.load(os.path.join(dev, 's1d_J6_Q8_N4096_S_random.npy'))
    with torch.no_grad():
        s = TorchScattering1D(6, 4096, Q=8, dtype=f64, float32_filters=False)(
            torch.from_numpy(xk)).numpy()
    add("1D dev s1d_J6_Q8_N4096 (Kymatio NumPy)", _rel(s, sk), _rel_per_channel(s, sk, 1))
    t1 = np.load(os.path.join(kym, 'test_data_1d.npz'))
    with torch.no_grad():
        s = TorchScattering1D(int(t1['J']), 512, Q=int(t1['Q']), dtype=f64,
                              float32_filters=False)(torch.from_numpy(t1['x'].astype(np.float64)))
    add("1D test_data_1d J=6 Q=16 N=512 (Kymatio, stored as float32)", _rel(s.numpy(), t1['Sx']))
    xg = np.load(os.path.join(more, 'grad_1d_J6_Q8_1024_x.npy'))
    gg = np.load(os.path.join(more, 'grad_1d_J6_Q8_1024_g.npy'))
    vk = np.load(os.path.join(more, 'grad_1d_J6_Q8_1024_vjp.npy'))
    add("1D grad_1d_J6_Q8_1024 VJP (kymatio.torch autograd)",
        _rel(_vjp(TorchScattering1D(6, 1024, Q=8, dtype=f64), xg, gg)[1], vk))

    ok = all(w <= tol and (p is None or p <= 10 * tol) for _, w, p, tol in rows)
    print("\n| comparison | max abs. diff / max abs. ref | per channel | tolerance |")
    print("|---|--:|--:|--:|")
    for what, w, p, tol in rows:
        print(f"| {what} | {w:.1e} | {'–' if p is None else f'{p:.1e}'} | {tol:.0e} |")
    print("\nfaithfulness check:", "PASSED" if ok else "FAILED")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with wst's NumPy/torch frontends and Kymatio's reference files")
    parser.add_argument("--shared", default=os.environ.get("WST_SHARED_DIR", "/work/shared"),
                        help="the shared reference folder (default $WST_SHARED_DIR or /work/shared)")
    args = parser.parse_args()
    if not args.check:
        parser.print_help()
        return 0
    return 0 if check(args.shared) else 1


if __name__ == "__main__":
    sys.exit(main())
