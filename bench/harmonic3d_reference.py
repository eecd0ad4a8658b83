"""A NumPy stand-in for Kymatio 0.4's ``kymatio.numpy.HarmonicScattering3D``, to time wst against.

Kymatio is not installable on the project's machines. This module reproduces the NumPy frontend's
algorithm step by step from docs/harmonic3d-formulas.md (not from Kymatio's code):

* filters built once, as complex64 arrays of shape (J+1, 2l+1, M, N, O) per degree l, from
  float32 ingredients (grid, r, angles, Gaussian; the spherical harmonic by scipy.special.sph_harm
  in double from the float32 angles; §4, §11);
* the input's full complex DFT (``np.fft.fftn`` over the last three axes, complex128 for float64);
* per (l, j1) and each m = −l … l: the pointwise product with the complex64 filter (promoted),
  a full complex inverse DFT (``np.fft.ifftn``) and the running modulus v ← sqrt(v² + |z|²)
  (§5.2), or the m = −l wavelet only (§5.3);
* order 2: the full DFT of U1, then the same per j2 > j1;
* the integrals Σ U^p over the volume per power (§5.4), the output rounded to float32 (§9).

    PYTHONPATH=build/python /usr/bin/python3 bench/harmonic3d_reference.py --check
    (compares with ../shared/reference/kymatio/v04-more/h3d_J2_L2_32_*.npy)
"""
import argparse
import os
import time

import numpy as np
from scipy.special import sph_harm

__all__ = ['KymatioLikeHarmonic3D']


def _grid(K):
    """g_K of §2 (Kymatio's odd-size shift included)."""
    k = np.arange(K)
    if K % 2 == 0:
        return np.where(k < K // 2, k, k - K)
    h = K // 2
    return (k + h) % K - (h + 1)


def _constant(l):
    """c_l of §4."""
    if l % 2 == 0:
        dfact = np.prod(np.arange(1, l + 2, 2, dtype=float))
        n = 1 / (2 * np.pi * np.sqrt(l + 0.5) * dfact)
    else:
        n = 1 / (2 ** ((l + 3) / 2) * np.sqrt(np.pi * (2 * l + 1)) * float(np.math.factorial((l + 1) // 2)))
    return (2 * np.pi) ** 1.5 * n


def _filters(J, shape, L, sigma_0):
    M, N, O = shape
    w0, w1, w2 = np.meshgrid(*[(2 * np.pi * _grid(K) / K).astype(np.float32) for K in shape],
                             indexing='ij')
    r2 = (w0 * w0 + w1 * w1 + w2 * w2).astype(np.float32)
    r = np.sqrt(r2)
    alpha = np.arctan2(w1, w2)
    beta = (np.arctan2(w0, np.sqrt(w1 * w1 + w2 * w2)) + np.float32(np.pi / 2)).astype(np.float32)
    out = []
    for l in range(L + 1):
        f = np.zeros((J + 1, 2 * l + 1, M, N, O), np.complex64)
        for j in range(J + 1):
            s = np.float32(sigma_0 * 2 ** j)
            radial = (s * r) ** l * np.exp((-(s * s) * r2 / 2).astype(np.float32))
            for i, m in enumerate(range(-l, l + 1)):
                y = sph_harm(m, l, alpha.astype(np.float64), beta.astype(np.float64))
                f[j, i] = (_constant(l) * (-1j) ** l * radial * y).astype(np.complex64)
        out.append(f)
    return out


class KymatioLikeHarmonic3D:
    def __init__(self, J, shape, L=3, sigma_0=1, max_order=2, rotation_covariant=True,
                 integral_powers=(0.5, 1., 2.)):
        self.J, self.shape, self.L = J, tuple(shape), L
        self.max_order, self.rotation_covariant = max_order, rotation_covariant
        self.integral_powers = list(integral_powers)
        self.filters = _filters(J, self.shape, L, sigma_0)

    def _modulus(self, X, l, j):
        ms = range(2 * l + 1) if self.rotation_covariant else [0]
        v = None
        for i in ms:
            z = np.fft.ifftn(X * self.filters[l][j, i], axes=(-3, -2, -1))
            a = np.abs(z)
            v = a if v is None else np.sqrt(v ** 2 + a ** 2)
        return v

    def _integrals(self, U):
        return np.stack([np.sum(U ** p, axis=(-3, -2, -1)) for p in self.integral_powers], -1)

    def __call__(self, x):
        batch = x.shape[:-3]
        x = x.reshape((-1,) + self.shape)
        X = np.fft.fftn(x, axes=(-3, -2, -1))
        order1, order2 = [], []
        for l in range(self.L + 1):
            o1, o2 = [], []
            for j1 in range(self.J + 1):
                U1 = self._modulus(X, l, j1)
                o1.append(self._integrals(U1))
                if self.max_order == 2 and j1 < self.J:
                    Y = np.fft.fftn(U1, axes=(-3, -2, -1))
                    for j2 in range(j1 + 1, self.J + 1):
                        o2.append(self._integrals(self._modulus(Y, l, j2)))
            order1.append(np.stack(o1, 1))
            if o2:
                order2.append(np.stack(o2, 1))
        S = np.stack(order1, 2)  # (B, P1, L+1, Q)
        if order2:
            S = np.concatenate([S, np.stack(order2, 2)], 1)
        return S.astype(np.float32).reshape(batch + S.shape[1:])


def _check(shared):
    folder = os.path.join(shared, 'reference', 'kymatio', 'v04-more')
    x = np.load(os.path.join(folder, 'h3d_J2_L2_32_x.npy'))
    for name, cov in (('h3d_J2_L2_32_S.npy', True), ('h3d_J2_L2_32_noncov_S.npy', False)):
        ref = np.load(os.path.join(folder, name))
        got = KymatioLikeHarmonic3D(2, (32, 32, 32), L=2, rotation_covariant=cov)(x)
        err = np.max(np.abs(got.astype(float) - ref) / np.abs(ref))
        print(f'{name}: max |Δ|/|ref| per value {err:.1e}')


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='compare with the shared reference files')
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--repeat', type=int, default=2)
    a = p.parse_args()
    if a.check:
        _check(os.environ.get('WST_SHARED_DIR', os.path.join(os.path.dirname(__file__), '..', '..', 'shared')))
        return
    x = np.random.default_rng(0).standard_normal((a.batch,) + (a.size,) * 3)
    S = KymatioLikeHarmonic3D(2, (a.size,) * 3, L=2)
    best = min(_timed(S, x) for _ in range(a.repeat))
    print(f'numpy stand-in, J=2 L=2 {a.size}^3 batch {a.batch}: {best:.3f} s '
          f'({best / a.batch * 1e3:.1f} ms per volume)')


def _timed(S, x):
    t = time.perf_counter()
    S(x)
    return time.perf_counter() - t


if __name__ == '__main__':
    main()
