"""Argument checks shared by the wst front ends (private)."""
import operator
import os

import numpy as np

_PLANNINGS = ('estimate', 'measure')

# Ranges of the C++ parameter types: int and std::size_t (kept within int64).
INT_MAX = 2**31 - 1
SIZE_MAX = 2**63 - 1


def integer(value, name, minimum=None, maximum=INT_MAX):
    """Return ``value`` as an int, or raise ValueError naming ``name``.

    ``maximum`` is the C++ type's limit (INT_MAX for int, SIZE_MAX for sizes); without a
    ``minimum`` the lower limit is -INT_MAX - 1.
    """
    # The CLI's wording: "--threads: must be an integer >= 1, got '0'".
    want = "an integer" + ("" if minimum is None else f" >= {minimum}")
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: must be {want}, got {value!r}")
    try:
        value = operator.index(value)  # int, NumPy integers, 0-d integer arrays
    except TypeError:
        raise ValueError(f"{name}: must be {want}, got {value!r}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}: must be {want}, got {value}")
    lo = -INT_MAX - 1 if minimum is None else minimum
    if not lo <= value <= maximum:
        raise ValueError(f"{name}: must be an integer in [{lo}, {maximum}], got {value}")
    return value


def threads(value):
    """``None`` → os.cpu_count(); else an int >= 1."""
    if value is None:
        return os.cpu_count() or 1
    return integer(value, 'threads', 1)


def planning(value):
    """'estimate' | 'measure' (FFTW_ESTIMATE or FFTW_MEASURE)."""
    if not isinstance(value, str) or value not in _PLANNINGS:
        raise ValueError(f"planning={value!r} is not supported: choose 'estimate' or 'measure'")
    return value


def out_type(value):
    """'array' | 'list'."""
    if not isinstance(value, str) or value not in ('array', 'list'):
        raise ValueError(f"out_type={value!r} is not supported: choose 'array' or 'list'")
    return value


def real_input(x, name='x'):
    """``x`` as a C-contiguous, aligned float32 or float64 ndarray (no copy when it is one).

    float32 stays float32 (float16 is widened to it), float64 stays float64, wider floats,
    integers and booleans become float64; anything else raises TypeError. Non-native byte
    order, unaligned or non-contiguous arrays are copied.
    """
    a = np.asarray(x)
    kind, size = a.dtype.kind, a.dtype.itemsize
    if kind == 'f' and size in (4, 8):
        target = np.float32 if size == 4 else np.float64
    elif kind == 'f' and size == 2:
        target = np.float32
    elif kind in 'biu' or kind == 'f':
        target = np.float64
    else:
        raise TypeError(f"{name} has dtype {a.dtype}, which is not supported: expected a real "
                        "array (float32, float64, integer or bool)")
    if a.ndim == 0:
        raise ValueError(f"{name} is a scalar (shape ()): expected an array")
    flags = a.flags
    if a.dtype.type is not target or not a.dtype.isnative or not flags.c_contiguous \
            or not flags.aligned:
        # np.ascontiguousarray may keep an unaligned buffer; np.array(copy=True) does not.
        a = np.array(a, dtype=target, order='C', copy=True)
    return a
