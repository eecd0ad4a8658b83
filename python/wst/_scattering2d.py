"""Scattering2D: a drop-in for kymatio.numpy's, computed by the C++ library.

Options, attributes and errors follow Kymatio 0.4 (docs/scattering-options.md §2 and §3.2).
"""
import operator

import numpy as np

from . import _checks
from ._errors import kymatio_error
from ._frontend import _ScatteringBase, _as_tuple, _check_backend
from ._wst import Scattering2DCore


def _kymatio_int(value, name):
    """J and L as Kymatio's range() takes them (an int, a NumPy integer or a 0-d integer array),
    else Kymatio's TypeError."""
    if isinstance(value, (bool, np.bool_)):
        return _checks.integer(value, name)  # ValueError naming it
    try:
        operator.index(value)
    except TypeError:
        raise kymatio_error(TypeError, f"'{type(value).__name__}' object cannot be interpreted "
                            "as an integer", f"{name}={value!r}: must be an integer") from None
    return _checks.integer(value, name)


def _flag(value, name):
    """pre_pad as Kymatio's ``if`` reads it: a bool, NumPy bool or integer (0-d arrays too)."""
    if np.ndim(value) == 0 and np.asarray(value).dtype.kind in 'biu':
        return bool(value)
    raise ValueError(f"{name}={value!r} is not supported: expected True or False")


class _Pad:
    """Kymatio's ``pad`` attribute: reflect padding by ``pad_size`` = [top, bottom, left, right]
    over the last two axes (the identity when the input is already padded)."""

    def __init__(self, pad_size, pre_pad):
        self.pad_size = list(pad_size)
        self.pre_pad = pre_pad

    def __call__(self, x):
        if self.pre_pad:
            return x
        top, bottom, left, right = self.pad_size
        widths = [(0, 0)] * (np.ndim(x) - 2) + [(top, bottom), (left, right)]
        return np.pad(x, widths, mode='reflect')


def _unpad(x):
    """Kymatio's ``unpad`` attribute: the one-sample crop of the output border (spec §2.9)."""
    return x[..., 1:-1, 1:-1]


class Scattering2D(_ScatteringBase):
    """2D scattering transform, numerically identical to ``kymatio.numpy.Scattering2D``.

    Parameters
    ----------
    J : int
        Number of scales, J >= 1 and 2**J <= min(M, N).
    shape : tuple (M, N)
    L : int, default 8
        Orientations per scale, 1 to 64.
    max_order : int, default 2
        Below 2: orders 0 and 1; 2 or more: orders 0, 1 and 2 (as Kymatio).
    pre_pad : bool, default False
        The input is already padded to the filters' size ``(Mp, Np)`` (Kymatio's reflect
        padding, see the ``pad`` attribute) and is used as it is.
    out_type : {'array', 'list'}, default 'array'
    backend : None or 'numpy'
        Accepted for Kymatio compatibility; the transform always runs in C++.
    frontend : {'numpy', 'sklearn'}, default 'numpy'
        As ``kymatio.Scattering2D``: 'sklearn' returns ``wst.sklearn.Scattering2D``.
    threads : int, optional
        Threads splitting the batch (default: os.cpu_count()); results do not depend on it.
    planning : {'estimate', 'measure'}, default 'estimate'
        FFTW planner rigour (FFTW_ESTIMATE or FFTW_MEASURE).

    Calling ``S(x)`` on ``x`` of shape (..., M, N) (``pre_pad``: (..., Mp, Np)) returns
    (..., C, M // 2**J, N // 2**J) ('array') or a list of C dicts ``{'coef', 'j', 'n', 'theta'}``
    ('list'). float32 input is computed in float32, float64, integer and bool input in
    float64. The GIL is released during the transform.
    """

    _out_core_ndim = 3

    def __init__(self, J, shape, L=8, max_order=2, pre_pad=False, out_type='array',
                 backend='numpy', *, frontend='numpy', threads=None, planning='estimate'):
        shape_t = _as_tuple(shape)
        if len(shape_t) != 2:
            if np.ndim(shape) == 0 or isinstance(shape, (str, bytes)):
                raise kymatio_error(TypeError, f"cannot unpack non-iterable "
                                    f"{type(shape).__name__} object",
                                    f"shape={shape!r}: expected a tuple (M, N)")
            raise ValueError(f"too many values to unpack (expected 2) (shape={shape!r}: expected a "
                             "tuple (M, N))" if len(shape_t) > 2 else
                             f"not enough values to unpack (expected 2, got {len(shape_t)}) "
                             f"(shape={shape!r}: expected a tuple (M, N))")
        M, N = (_checks.integer(s, 'shape', 1, _checks.SIZE_MAX) for s in shape_t)
        J = _kymatio_int(J, 'J')
        if J < 0:
            raise kymatio_error(TypeError, "'float' object cannot be interpreted as an integer",
                                f"J={J}: must be >= 1")
        L = _kymatio_int(L, 'L')
        max_order_given = _checks.integer(max_order, 'max_order')
        self.backend = _check_backend(backend)
        pre_pad = _flag(pre_pad, 'pre_pad')
        threads_given, threads = threads, _checks.threads(threads)
        planning = _checks.planning(planning)

        try:
            self._core = Scattering2DCore(J, M, N, L, 1 if max_order_given < 2 else 2, threads,
                                          planning, pre_pad)
        except ValueError as e:
            if 2 ** J > min(M, N):  # the C++ message names the rule; Kymatio's sentence first
                raise kymatio_error(RuntimeError, "The smallest dimension should be larger "
                                    "than 2^J.", str(e)) from None
            raise
        self._params = dict(J=J, shape=(M, N), L=L, max_order=max_order_given, pre_pad=pre_pad,
                            threads=threads_given, planning=planning)
        self.J, self.shape, self.M, self.N, self.L = J, (M, N), M, N, L
        self.max_order, self.pre_pad, self.out_type = max_order_given, pre_pad, out_type
        self.threads, self.planning = threads, planning
        self.frontend_name = 'numpy'
        self._M_padded, self._N_padded = self._core.padded_shape
        self.pad = _Pad(self._core.pad_size, pre_pad)
        self.unpad = _unpad
        self._meta = None
        self._paths = None
        self._levels = None

    def __call__(self, x):
        """Scattering transform of ``x``; see the class docstring."""
        out = self._core(self._check_call(x))
        return out if self.out_type == 'array' else self._outputs(out)

    def _outputs(self, out):
        """The core's output (an array, or a torch tensor) as out_type 'list'."""
        return self._as_list(out)

    def _check_call(self, x):
        """The checks of a call in Kymatio's order (§3.2); ``x`` converted for the core."""
        if x is None:
            raise kymatio_error(TypeError, "The input should be not empty.", "x is None")
        a = np.asarray(x)
        if a.ndim < 2:
            raise kymatio_error(RuntimeError, "Input array must have at least two dimensions.",
                                f"x has shape {a.shape}")
        size = tuple(a.shape[-2:])
        want = self._core.input_shape
        if size != tuple(want):
            what = "Padded array" if self.pre_pad else "NumPy array"
            raise kymatio_error(RuntimeError, f"{what} must be of spatial size "
                                f"({want[0]},{want[1]}).",
                                f"x has shape {a.shape}: expected (..., {want[0]}, {want[1]})")
        if not isinstance(self.out_type, str) or self.out_type not in ('array', 'list'):
            raise kymatio_error(RuntimeError, "The out_type must be one of 'array' or 'list'.",
                                f"out_type={self.out_type!r}")
        if a.dtype.kind not in 'biuf':
            raise kymatio_error(TypeError, "The input should be real.", f"x has dtype {a.dtype}: "
                                "expected float32, float64, integer or bool")
        return _checks.real_input(a)

    def meta(self):
        """Channel metadata: 'order' (C,) int64; 'j', 'theta', 'n' = j*L + theta (C, 2) float64
        with NaN where unused; 'key' the n tuple of each channel."""
        return self._core.meta()

    def filters(self):
        """Fourier-domain filters at the padded size (Mp, Np), float64: 'phi' (Mp, Np) and
        'psi' (J*L, Mp, Np) with index n = j*L + theta."""
        return self._core.filters()

    def _filter_levels(self):
        if self._levels is None:
            self._levels = self._core.filter_levels()
        return self._levels

    @property
    def phi(self):
        """Kymatio's low-pass: {'levels': J float32 arrays (Mp/2^r, Np/2^r), 'j': J}."""
        return {'levels': list(self._filter_levels()['phi']), 'j': self.J}

    @property
    def psi(self):
        """Kymatio's wavelets, index n = j*L + theta: {'levels', 'j', 'theta'} each, the levels
        float32 arrays at r = 0 ... min(j + 1, max(J - 1, 1)) - 1."""
        levels = self._filter_levels()['psi']
        return [{'levels': list(levels[n]), 'j': n // self.L, 'theta': n % self.L}
                for n in range(len(levels))]

    def _labels(self):
        if self._paths is None:
            m = self._meta_cached()
            self._paths = []
            for c, o in enumerate(m['order']):
                k = int(o)
                self._paths.append({'j': tuple(int(v) for v in m['j'][c, :k]),
                                    'n': tuple(int(v) for v in m['n'][c, :k]),
                                    'theta': tuple(int(v) for v in m['theta'][c, :k])})
        return self._paths
