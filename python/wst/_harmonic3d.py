"""HarmonicScattering3D: a drop-in for kymatio.numpy's (Kymatio 0.4) solid-harmonic 3D scattering,
computed by the C++ library. Parameters, errors and the output follow docs/harmonic3d-formulas.md
(§1, §6, §8–§10, §14)."""
import numbers

import numpy as np

from . import _checks
from ._errors import kymatio_error
from ._frontend import _as_tuple, _check_backend, _frontend_class
from ._wst import HarmonicScattering3DCore

__all__ = ['HarmonicScattering3D']


def _parse_shape(shape):
    """(M, N, O) as Kymatio unpacks it (§10), each an integer >= 1."""
    shape_t = _as_tuple(shape)
    if len(shape_t) != 3:
        if np.ndim(shape) == 0 or isinstance(shape, (str, bytes)):
            raise kymatio_error(TypeError, f"cannot unpack non-iterable {type(shape).__name__} "
                                "object", f"shape={shape!r}: expected a tuple (M, N, O)")
        raise ValueError(f"too many values to unpack (expected 3) (shape={shape!r}: expected a "
                         "tuple (M, N, O))" if len(shape_t) > 3 else
                         f"not enough values to unpack (expected 3, got {len(shape_t)}) "
                         f"(shape={shape!r}: expected a tuple (M, N, O))")
    return tuple(_checks.integer(s, 'shape', 1, _checks.INT_MAX) for s in shape_t)


def _nothing_to_stack(detail):
    """Kymatio's error where a range is empty (§10): NumPy's ValueError from np.stack."""
    return ValueError(f"need at least one array to stack ({detail})")


def _parse_powers(integral_powers):
    try:
        powers = [float(p) for p in integral_powers]
    except (TypeError, ValueError):
        raise ValueError(f"integral_powers={integral_powers!r}: expected a sequence of numbers") from None
    if not powers:
        raise _nothing_to_stack("integral_powers is empty: must hold at least one power")
    if not all(np.isfinite(powers)):
        raise ValueError(f"integral_powers={list(integral_powers)!r} is out of range: every "
                         "power must be finite")
    return powers


class HarmonicScattering3D:
    """Solid-harmonic 3D scattering, numerically identical to
    ``kymatio.numpy.HarmonicScattering3D`` (docs/HARMONIC3D.md).

    Parameters
    ----------
    J : int
        Largest scale index (J + 1 scales, sigma_0 * 2**j), 0 <= J and 2**J <= min(M, N, O).
    shape : tuple (M, N, O)
        Any sizes >= 1 (odd sizes use Kymatio's shifted frequency grid).
    L : int, default 3
        Largest degree of the solid harmonics, 0 to 16.
    sigma_0 : float, default 1
        Width of the mother wavelet in samples, > 0.
    max_order : int, default 2
        2: orders 1 and 2; any other integer: order 1 only (as Kymatio).
    rotation_covariant : bool, default True
        True: the modulus pooled over m; False: the m = -l wavelet only.
    method : 'integral'
        The only method (others raise ValueError, as Kymatio's torch frontend does).
    points : ignored (stored, as in Kymatio)
    integral_powers : sequence of float, default (0.5, 1., 2.)
        Exponents p of the invariants sum over the volume of U**p.
    backend : None or 'numpy'
        Accepted for Kymatio compatibility; the transform always runs in C++.
    frontend : {'numpy', 'sklearn'}, default 'numpy'
        'sklearn' returns ``wst.sklearn.HarmonicScattering3D``.
    threads : int, optional
        Threads (default: os.cpu_count()); results do not depend on it.
    planning : {'estimate', 'measure'}, default 'estimate'

    Calling ``S(x)`` (or ``S.scattering(x)``) on a float32 or float64 array of shape
    (..., M, N, O) returns float32 (..., P, L+1, Q), P = (J+1)(J+2)/2 paths (J+1 for order 1):
    j1 = 0 … J, then the pairs (j1, j2), j2 > j1. float32 input is computed in float32, float64 in
    float64 (then rounded to float32, as Kymatio). The GIL is released during the transform.
    """

    out_type = 'array'

    def __new__(cls, *args, frontend='numpy', **kwargs):
        other = _frontend_class(frontend, 'HarmonicScattering3D')
        if other is not None:
            return other(*args, **kwargs)
        return super().__new__(cls)

    def __init__(self, J, shape, L=3, sigma_0=1, max_order=2, rotation_covariant=True,
                 method='integral', points=None, integral_powers=(0.5, 1., 2.), backend='numpy',
                 *, frontend='numpy', threads=None, planning='estimate'):
        M, N, O = _parse_shape(shape)
        J = _checks.integer(J, 'J')
        if J < 0:
            raise _nothing_to_stack(f"J={J} is out of range: must be >= 0")
        L = _checks.integer(L, 'L')
        if L < 0:
            raise _nothing_to_stack(f"L={L} is out of range: must be in [0, 16]")
        if isinstance(sigma_0, (bool, np.bool_)) or not isinstance(sigma_0, numbers.Real) \
                or not np.isfinite(sigma_0) or sigma_0 <= 0:
            raise ValueError(f"sigma_0={sigma_0!r} is out of range: must be a finite number > 0")
        max_order = _checks.integer(max_order, 'max_order')
        if not isinstance(rotation_covariant, (bool, np.bool_)):
            raise ValueError(f"rotation_covariant={rotation_covariant!r}: expected True or False")
        if method != 'integral':
            raise ValueError(f"method must be in ['integral'] (method={method!r})")
        powers = _parse_powers(integral_powers)
        self.backend = _check_backend(backend)
        threads_given, threads = threads, _checks.threads(threads)
        planning = _checks.planning(planning)
        self._core = HarmonicScattering3DCore(J, M, N, O, L, float(sigma_0),
                                              2 if max_order == 2 else 1, bool(rotation_covariant),
                                              powers, threads, planning)
        self._params = dict(J=J, shape=(M, N, O), L=L, sigma_0=float(sigma_0), max_order=max_order,
                            rotation_covariant=bool(rotation_covariant), method=method,
                            points=points, integral_powers=tuple(powers), threads=threads_given,
                            planning=planning)
        self.J, self.shape, self.L, self.sigma_0 = J, (M, N, O), L, float(sigma_0)
        self.M, self.N, self.O = M, N, O
        self.max_order, self.rotation_covariant, self.method = max_order, bool(rotation_covariant), method
        self.points, self.integral_powers = points, list(powers)
        self.threads, self.planning = threads, planning
        self.frontend_name = 'numpy'

    def __call__(self, x):
        """Invariants of ``x`` (..., M, N, O); see the class docstring."""
        return self._core(self._check_call(x)).astype(np.float32, copy=False)

    def scattering(self, x):
        """Same as ``self(x)`` (Kymatio's method)."""
        return self(x)

    def _check_call(self, x):
        """Kymatio's checks at the call, in its order (§10); x as a C-contiguous float array."""
        if x is None:
            raise kymatio_error(TypeError, 'The input should be not empty.', 'x is None')
        if not isinstance(x, np.ndarray):
            raise kymatio_error(TypeError, f'The input should be a numpy array, got type {type(x)}',
                                'convert it with np.asarray')
        if x.ndim < 3:
            raise kymatio_error(RuntimeError, 'Input tensor must have at least three dimensions.',
                                f'x has shape {x.shape}')
        if x.shape[-3:] != self.shape:
            raise kymatio_error(RuntimeError, f'Tensor must be of spatial size {self.shape}.',
                                f'x has shape {x.shape}')
        if x.dtype not in (np.float32, np.float64):
            raise kymatio_error(TypeError, 'The input should be real.',
                                f'x has dtype {x.dtype}: expected float32 or float64')
        target = x.dtype.newbyteorder('=')
        if x.dtype != target or not x.flags.c_contiguous or not x.flags.aligned:
            # np.ascontiguousarray may keep an unaligned buffer; np.array(copy=True) does not.
            x = np.array(x, dtype=target, order='C', copy=True)
        return x

    def meta(self):
        """Per path: 'order', 'j1', 'j2' (-1 for order 1), int64 arrays."""
        return self._core.meta()

    def output_size(self):
        """Number of paths P."""
        return self._core.paths

    def _bench_cpp_seconds(self, x, repeats):
        """Mean seconds of one C++ transform of ``x`` (GIL released, preallocated output)."""
        return self._core.bench_seconds(self._check_call(x), _checks.integer(repeats, 'repeats', 1))

    # Pickling (and copy/deepcopy) rebuilds the transform from its parameters.
    def __getstate__(self):
        return dict(self._params)

    def __setstate__(self, state):
        self.__init__(**state)

    def __eq__(self, other):
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()

    def __repr__(self):
        p = self._params
        return (f"HarmonicScattering3D(J={p['J']}, shape={p['shape']}, L={p['L']}, "
                f"sigma_0={p['sigma_0']}, max_order={p['max_order']}, "
                f"rotation_covariant={p['rotation_covariant']}, "
                f"integral_powers={p['integral_powers']})")
