"""Scattering2D: a drop-in for kymatio.numpy's, computed by the C++ library."""
from . import _checks
from ._frontend import _ScatteringBase, _as_tuple
from ._wst import Scattering2DCore


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
