"""Scattering1D and Scattering2D: drop-ins for kymatio.numpy's, computed by the C++ library."""
import numpy as np

from . import _checks
from ._wst import Scattering1DCore, Scattering2DCore


def _as_tuple(value):
    """An int (or 0-d array) as a 1-tuple, a sequence as a tuple, anything else as ()."""
    if isinstance(value, (str, bytes)):
        return ()
    if np.ndim(value) == 0:
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        return ()


class _ScatteringBase:
    """What the 1D and 2D front ends share: calling, list output, pickling."""

    _core = None

    def __call__(self, x):
        """Scattering transform of ``x``; see the class docstring."""
        if self.out_type == 'array':
            return self._core(_checks.real_input(x))
        _checks.out_type(self.out_type)
        return self._as_list(self._core(_checks.real_input(x)))

    def scattering(self, x):
        """Same as ``self(x)``."""
        return self(x)

    def _as_list(self, out):
        """Kymatio's out_type='list': one dict per channel, 'coef' a view of ``out``."""
        axis = out.ndim - self._out_core_ndim  # the channel axis
        result = []
        for c, labels in enumerate(self._labels()):
            entry = {'coef': out[(slice(None),) * axis + (c,)]}
            entry.update(labels)
            result.append(entry)
        return result

    def _bench_cpp_seconds(self, x, repeats):
        """Mean seconds of one C++ transform of ``x`` (shape (B, ...)), over ``repeats`` runs
        on preallocated buffers with the GIL released (std::chrono::steady_clock)."""
        repeats = _checks.integer(repeats, 'repeats', 1)
        return self._core.bench_seconds(_checks.real_input(x), repeats)

    def output_size(self, detail=False):
        """Number of output channels C; with ``detail=True`` the count per order."""
        if detail:
            order = self._meta_cached()['order']
            return tuple(int(np.count_nonzero(order == m)) for m in range(self.max_order + 1))
        return self._core.channels

    def _meta_cached(self):
        if self._meta is None:
            self._meta = self._core.meta()
        return self._meta

    # Pickling (and copy/deepcopy) rebuilds the transform from its parameters.
    def __getstate__(self):
        return dict(self._params, out_type=self.out_type)

    def __setstate__(self, state):
        self.__init__(**state)

    def __eq__(self, other):
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()

    def __hash__(self):
        # Over the construction parameters only: out_type may be reassigned.
        return hash((type(self).__name__, tuple(sorted(self._params.items()))))

    def __repr__(self):
        args = ', '.join(f"{k}={v!r}" for k, v in self.__getstate__().items())
        return f"{type(self).__name__}({args})"


class Scattering1D(_ScatteringBase):
    """1D scattering transform, numerically identical to ``kymatio.numpy.Scattering1D``.

    Parameters
    ----------
    J : int
        Maximum log2 scale of the wavelets, J >= 1 and 2**J <= N.
    shape : int or tuple of one int
        Input length N.
    Q : int or tuple (Q1, Q2), default 1
        Wavelets per octave at order 1 (and at orders >= 2); an int Q means (Q, 1).
    T : int, optional
        Averaging scale in samples, 1 to N; default 2**J. 0 or 'global' are not supported.
    stride : int, optional
        Only None or T (the output is subsampled by 2**floor(log2 T)).
    max_order : {1, 2, 3}, default 2
    oversampling : int, default 0
        Only 0.
    out_type : {'array', 'list'}, default 'array'
    threads : int, optional
        Threads splitting the batch (default: os.cpu_count()); results do not depend on it.
    planning : {'estimate', 'measure'}, default 'estimate'
        FFTW planner rigour (FFTW_ESTIMATE or FFTW_MEASURE).

    Calling ``S(x)`` on ``x`` of shape (..., N) returns (..., C, N_out) ('array') or a list of C
    dicts ``{'coef', 'j', 'n', 'order'}`` ('list'). float32 input is computed in float32,
    float64, integer and bool input in float64. The GIL is released during the transform.
    """

    _out_core_ndim = 2

    def __init__(self, J, shape, Q=1, T=None, stride=None, max_order=2, oversampling=0,
                 out_type='array', *, threads=None, planning='estimate'):
        J = _checks.integer(J, 'J')
        if len(_as_tuple(shape)) != 1:
            raise ValueError(f"shape={shape!r} is not supported: expected an int N or a tuple (N,)")
        N = _checks.integer(_as_tuple(shape)[0], 'shape[0]', 1, _checks.SIZE_MAX)
        if len(_as_tuple(Q)) not in (1, 2):
            raise ValueError(f"Q={Q!r} is not supported: expected an int or a tuple (Q1, Q2)")
        Q = _as_tuple(Q)
        Q = tuple(_checks.integer(q, 'Q') for q in Q) + ((1,) if len(Q) == 1 else ())
        if T is not None:
            if isinstance(T, str) or (np.ndim(T) == 0 and np.isreal(T) and T < 1):
                raise ValueError(f"T={T!r} is not supported: only averaging with T >= 1 is "
                                 "supported (no T=0, no T='global')")
            T = _checks.integer(T, 'T', 1, _checks.SIZE_MAX)
        oversampling = _checks.integer(oversampling, 'oversampling')
        if oversampling != 0:
            raise ValueError(f"oversampling={oversampling} is not supported: only 0")
        max_order = _checks.integer(max_order, 'max_order')
        threads_given, threads = threads, _checks.threads(threads)
        planning = _checks.planning(planning)
        out_type = _checks.out_type(out_type)

        self._core = Scattering1DCore(J, N, Q[0], Q[1], 0 if T is None else T, max_order,
                                      threads, planning)
        T_used = self._core.T
        if stride is not None and (isinstance(stride, bool) or stride != T_used):
            raise ValueError(f"stride={stride!r} is not supported: only None or T={T_used}")
        self._params = dict(J=J, shape=(N,), Q=Q, T=T, stride=stride, max_order=max_order,
                            oversampling=oversampling, threads=threads_given,
                            planning=planning)
        self.J, self.shape, self.N, self.Q, self.T = J, (N,), N, Q, T_used
        self.stride, self.max_order, self.oversampling = T_used, max_order, oversampling
        self.out_type, self.threads, self.planning = out_type, threads, planning
        self._meta = None
        self._paths = None

    def meta(self):
        """Channel metadata in Kymatio's format: 'order' (C,) int64; 'n', 'j', 'xi', 'sigma'
        (C, max_order) float64 with NaN where unused; 'key' the n tuple of each channel."""
        return self._core.meta()

    def filters(self):
        """Fourier-domain filters at the padded length, float64: 'phi' (N_pad,), 'psi1'
        (K1, N_pad), 'psi2' (K2, N_pad), decreasing centre frequency."""
        return self._core.filters()

    def _labels(self):
        if self._paths is None:
            m = self._meta_cached()
            self._paths = [
                {'j': tuple(int(v) for v in m['j'][c, :k]), 'n': tuple(m['key'][c]), 'order': k}
                for c, k in enumerate(int(o) for o in m['order'])]
        return self._paths


class Scattering2D(_ScatteringBase):
    """2D scattering transform, numerically identical to ``kymatio.numpy.Scattering2D``.

    Parameters
    ----------
    J : int
        Number of scales, J >= 1 and 2**J <= min(M, N).
    shape : tuple (M, N)
    L : int, default 8
        Orientations per scale, 1 to 64.
    max_order : {1, 2}, default 2
    pre_pad : bool, default False
        Only False.
    out_type : {'array', 'list'}, default 'array'
    threads : int, optional
        Threads splitting the batch (default: os.cpu_count()); results do not depend on it.
    planning : {'estimate', 'measure'}, default 'estimate'
        FFTW planner rigour (FFTW_ESTIMATE or FFTW_MEASURE).

    Calling ``S(x)`` on ``x`` of shape (..., M, N) returns (..., C, M // 2**J, N // 2**J)
    ('array') or a list of C dicts ``{'coef', 'j', 'theta', 'order'}`` ('list'). float32 input
    is computed in float32, float64, integer and bool input in float64. The GIL is released
    during the transform.
    """

    _out_core_ndim = 3

    def __init__(self, J, shape, L=8, max_order=2, pre_pad=False, out_type='array', *,
                 threads=None, planning='estimate'):
        J = _checks.integer(J, 'J')
        if len(_as_tuple(shape)) != 2:
            raise ValueError(f"shape={shape!r} is not supported: expected a tuple (M, N)")
        M, N = (_checks.integer(s, 'shape', 1, _checks.SIZE_MAX) for s in _as_tuple(shape))
        L = _checks.integer(L, 'L')
        max_order = _checks.integer(max_order, 'max_order')
        if pre_pad is not False:
            raise ValueError(f"pre_pad={pre_pad!r} is not supported: only False")
        threads_given, threads = threads, _checks.threads(threads)
        planning = _checks.planning(planning)
        out_type = _checks.out_type(out_type)

        self._core = Scattering2DCore(J, M, N, L, max_order, threads, planning)
        self._params = dict(J=J, shape=(M, N), L=L, max_order=max_order, pre_pad=False,
                            threads=threads_given, planning=planning)
        self.J, self.shape, self.M, self.N, self.L = J, (M, N), M, N, L
        self.max_order, self.pre_pad, self.out_type = max_order, False, out_type
        self.threads, self.planning = threads, planning
        self._meta = None
        self._paths = None

    def meta(self):
        """Channel metadata: 'order' (C,) int64; 'j', 'theta', 'n' = j*L + theta (C, 2) float64
        with NaN where unused; 'key' the n tuple of each channel."""
        return self._core.meta()

    def filters(self):
        """Fourier-domain filters at the padded size (Mp, Np), float64: 'phi' (Mp, Np) and
        'psi' (J*L, Mp, Np) with index n = j*L + theta."""
        return self._core.filters()

    def _labels(self):
        if self._paths is None:
            m = self._meta_cached()
            self._paths = []
            for c, o in enumerate(m['order']):
                k = int(o)
                self._paths.append({'j': tuple(int(v) for v in m['j'][c, :k]),
                                    'theta': tuple(int(v) for v in m['theta'][c, :k]),
                                    'order': k})
        return self._paths
