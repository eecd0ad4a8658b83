"""Scattering1D: a drop-in for kymatio.numpy's, computed by the C++ library."""
import numpy as np

from . import _checks
from ._frontend import _ScatteringBase, _as_tuple
from ._wst import Scattering1DCore


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
