"""Scattering1D: a drop-in for kymatio.numpy's, computed by the C++ library.

Options, output formats, attributes and errors follow Kymatio 0.4 (docs/scattering-options.md §1).
"""
import math
import operator
import warnings

import numpy as np

from . import _checks
from ._errors import ScatteringAssertionError, ScatteringAttributeError, kymatio_error
from ._frontend import _ScatteringBase, _check_backend
from ._wst import Scattering1DCore

R_PSI, SIGMA0, ALPHA = math.sqrt(0.5), 0.1, 5.0
_OUT_TYPES = ('array', 'dict', 'list')
_HOW_TO_STRIDE = ("Pass stride = 2**(J-oversampling) or stride = 2**(log2(T)-oversampling) to "
                  "retain current behavior.")
# Kymatio's two deprecation texts (sic: the first lacks a space after "v0.5.").
_OVERSAMPLING_ARGUMENT = "oversampling is deprecated in and will be removed in v0.5." + _HOW_TO_STRIDE
_OVERSAMPLING_ATTRIBUTE = ("The attribute oversampling is deprecated and will be removed in v0.5. "
                           + _HOW_TO_STRIDE)


def anden_generator(J, Q, sigma0=SIGMA0, r_psi=R_PSI, **unused):
    """The (ξ, σ) of a bank of Q wavelets per octave down to σ0/2^J, in filter order
    (docs/scattering-formulas.md §1.2): the generator of Kymatio's ``filterbank`` attribute."""
    xi = max(1 / (1 + 2 ** (3 / Q)), 0.35)
    f = 2 ** (-1 / Q)
    sigma = xi * ((1 - f) / (1 + f) / math.sqrt(2 * math.log(1 / r_psi)))
    sigma_min, step = sigma0 / 2 ** J, 2 ** (1 / Q)
    if sigma > sigma_min:
        yield xi, sigma
        while sigma > sigma_min * step:  # constant-Q part
            xi, sigma = xi / step, sigma / step
            yield xi, sigma
    else:
        xi = sigma  # Kymatio's degenerate case: the elbow becomes the bandwidth
    elbow = xi
    for _ in range(1, Q):  # constant-bandwidth part
        xi -= elbow / Q
        yield xi, sigma_min


def _int_or_none(value):
    """``value`` as an int (a Python or NumPy integer, not a bool), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _real_or_none(value):
    """``value`` as an int or a float (integers stay ints), else None."""
    as_int = _int_or_none(value)
    if as_int is not None:
        return as_int
    if np.ndim(value) == 0 and isinstance(value, (float, np.floating, np.ndarray)) \
            and np.asarray(value).dtype.kind == 'f':
        return float(value)
    return None


def _floor_log2(T):
    """floor(log2 T) for a number T >= 1, exactly."""
    return T.bit_length() - 1 if isinstance(T, int) else math.frexp(T)[1] - 1


def _range_detail(value, name, maximum, detail):
    """wst's words after Kymatio's sentence: ``detail`` (the C++ library's message), or, for an
    integer beyond the C++ type (int or size_t), the range of that type."""
    if isinstance(value, int) and abs(value) > maximum:
        return f"{name}: must be an integer in [1, {maximum}], got {value}"
    return detail


def _parse_shape(shape):
    """N from an int or a 1-tuple (§1.11)."""
    if isinstance(shape, tuple):
        if len(shape) != 1:
            raise ValueError("If shape is specified as a tuple, it must have exactly one element. "
                             f"Got: {shape}")
        N = shape[0]
    elif _int_or_none(shape) is not None:
        N = shape
    else:
        raise ValueError(f"shape must be an integer or a 1-tuple. Got: {shape}")
    return _checks.integer(N, 'shape[0]', 1, _checks.SIZE_MAX)


def _parse_oversampling(k):
    """None (no checks, as Kymatio) or an integer >= 0 (§1.2)."""
    if k is None:
        return None
    value = _real_or_none(k)
    if value is not None and value < 0:
        raise ValueError(f"oversampling must be nonnegative. Got: {k}")
    if not isinstance(value, int):
        raise ValueError(f"oversampling must be integer. Got: {k}")
    return value


def _parse_T(T, J, N):
    """(parsed T, average) of §1.1: T = None, 'global', 0 or a number in [1, N]."""
    if T is None:
        return 2 ** J, 'local'
    if isinstance(T, str) and T == 'global':
        return 2 ** J, 'global'
    value = _real_or_none(T)
    if value is None:
        raise kymatio_error(TypeError, f"'>' not supported between instances of "
                            f"'{type(T).__name__}' and 'int'",
                            f"T={T!r}: expected None, 'global', 0 or a number in [1, N={N}]")
    detail = _range_detail(value, 'T', _checks.SIZE_MAX,
                           f"T={T} is out of range: the averaging scale must be in [1, N={N}]")
    if value > N:
        raise ValueError(f"The support T of the low-pass filter cannot exceed input length (got {T} "
                         f"> {N}). For large averaging size, consider passing T='global'. ({detail})")
    if value == 0:
        return 2 ** J, False
    if not value >= 1:
        raise ValueError(f"T must be ==0 or >=1 (got {T}) ({detail})")
    return value, 'local'


def _parse_Q(Q):
    """(Q1, Q2) from an int or a 1- or 2-tuple (§1.11: Q < 1 first, then the form)."""
    for q in Q if isinstance(Q, tuple) else (Q,):
        value = _real_or_none(q)
        if value is not None and value < 1:
            detail = _range_detail(value, 'Q', _checks.INT_MAX,
                                   f"Q={q} is out of range: wavelets per octave must be in [1, 128]")
            raise ValueError(f"Q must always be >= 1, got {Q} ({detail})")
    if isinstance(Q, tuple) and len(Q) > 2:
        raise kymatio_error(NotImplementedError, "Q must be an integer, 1-tuple or 2-tuple. "
                            "Scattering transforms beyond order 2 are not implemented. "
                            f"Got: {Q}", "Q=(Q1, Q2): wavelets per octave at order 1, and at "
                            "orders 2 and 3")
    if isinstance(Q, tuple) and Q:
        Q = Q + (1,) * (2 - len(Q))
    elif _int_or_none(Q) is not None:
        Q = (Q, 1)
    else:
        raise ValueError(f"Q must be an integer or a tuple (Q={Q!r}: expected an integer Q1 or a "
                         "tuple (Q1, Q2))")
    return tuple(_checks.integer(q, 'Q', 1) for q in Q)


def _stride_problem(stride, T, average, log2_T, J):
    """(log2_stride, None) for a valid stride, else (log2_T, a function making the error Kymatio
    raises when the transform is called, §1.2 and §1.5)."""
    def fail(make):
        return log2_T, make
    if stride is None:
        return log2_T, None
    value = _int_or_none(stride)
    if value is None:
        return fail(lambda: ValueError(f"stride must be integer. Got: {stride}"))
    if value <= 0:
        return fail(lambda: kymatio_error(ValueError, "math domain error", f"stride={stride}: must "
                                          "be a power of two >= 1"))
    if value & (value - 1):
        return fail(lambda: ValueError(f"stride must be a power of two. Got: {stride}"))
    if average != 'local':
        return fail(lambda: ValueError(f"stride={stride} is incompatible with T={T}."))
    ls = value.bit_length() - 1
    if ls <= log2_T:
        return ls, None
    # Kymatio fails on a filter level it does not store; wst refuses every such stride (§1.5).
    detail = (f"stride={stride} is out of range: with T={T} the stride must be a power of two "
              f"from 1 to 2^floor(log2 T) = {2 ** log2_T}")
    if ls > max(log2_T, J):
        return fail(lambda: kymatio_error(KeyError, str(ls), detail))
    return fail(lambda: kymatio_error(IndexError, "list index out of range", detail))


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
    T : None, 'global', 0 or a number in [1, N]
        None: average by φ over 2**J samples; a number: over T samples (σ_φ = 0.1/T, not
        necessarily an integer); 'global': each path summed over its whole padded signal;
        0: no averaging, each path at its own resolution (out_type 'list' or 'dict').
    stride : int, optional
        With averaging over T: a power of two from 1 to 2**floor(log2 T) (the default).
    max_order : {1, 2, 3}, default 2
    oversampling : int, default 0
        Deprecated (as in Kymatio): means stride = 2**(floor(log2 T) - oversampling).
    out_type : {'array', 'list', 'dict'}, default 'array'
    backend : None or 'numpy'
        Accepted for Kymatio compatibility; the transform always runs in C++.
    frontend : {'numpy', 'sklearn'}, default 'numpy'
        As ``kymatio.Scattering1D``: 'sklearn' returns ``wst.sklearn.Scattering1D``.
    threads : int, optional
        Threads splitting the batch (default: os.cpu_count()); results do not depend on it.
    planning : {'estimate', 'measure'}, default 'estimate'
        FFTW planner rigour (FFTW_ESTIMATE or FFTW_MEASURE).

    Calling ``S(x)`` on ``x`` of shape (..., N) returns (..., C, N_out) ('array'), a list of C
    dicts ``{'coef', 'j', 'n', 'order'}`` sorted by (order, n) ('list'), or a dict n → coef in
    depth-first order ('dict'). float32 input is computed in float32, float64, integer and bool
    input in float64. The GIL is released during the transform.
    """

    _out_core_ndim = 2
    # kymatio.numpy keeps the 1D filters in float64, kymatio.torch rounds them to float32
    # (docs/scattering-gradients.md); wst.torch's transform sets this.
    _float32_filters = False

    def __init__(self, J, shape, Q=1, T=None, stride=None, max_order=2, oversampling=0,
                 out_type='array', backend='numpy', *, frontend='numpy', threads=None,
                 planning='estimate'):
        N = _parse_shape(shape)
        k = _parse_oversampling(oversampling)
        J = _checks.integer(J, 'J')
        if not 1 <= J <= 30:  # Kymatio checks no J; the C++ library's message
            raise ValueError(f"J={J} is out of range: J must be in [1, 30]")
        T_value, average = _parse_T(T, J, N)
        log2_T = _floor_log2(T_value)
        used_stride = self._stride_from_oversampling(stride, k, log2_T)
        Q = _parse_Q(Q)
        max_order = _checks.integer(max_order, 'max_order')
        if max_order < 1:
            raise kymatio_error(IndexError, "list index out of range", f"max_order={max_order} "
                                "is out of range: must be 1, 2 or 3")
        self.backend = _check_backend(backend)
        threads_given, threads = threads, _checks.threads(threads)
        planning = _checks.planning(planning)
        log2_stride, self._stride_error = _stride_problem(used_stride, T, average, log2_T, J)
        self._core = Scattering1DCore(
            J, N, Q[0], Q[1], 'none' if average is False else average,
            float(T_value) if average == 'local' and T is not None else 0.0,
            2 ** log2_stride if self._stride_error is None and used_stride is not None else 0,
            max_order, threads, planning, float32_filters=self._float32_filters)
        self._check_frequencies_decrease(Q)

        self._params = dict(J=J, shape=(N,), Q=Q, T=T, stride=stride, max_order=max_order,
                            oversampling=oversampling, threads=threads_given, planning=planning)
        self._oversampling = oversampling
        self.J, self.shape, self.N, self.Q, self.T = J, (N,), N, Q, T_value
        self.average, self.log2_T, self._log2_stride = average, self._core.log2_T, log2_stride
        self.max_order, self.out_type, self.threads, self.planning = (max_order, out_type,
                                                                      threads, planning)
        self.r_psi, self.sigma0, self.alpha = R_PSI, SIGMA0, ALPHA
        self.pad_left, self.pad_right = self._core.pad_left, self._core.pad_right
        self._N_padded = self._core.padded_length
        self.ind_start, self.ind_end = self._core.ind_start, self._core.ind_end
        self.frontend_name = 'numpy'
        self._meta = self._paths = self._filters = None

    @staticmethod
    def _stride_from_oversampling(stride, k, log2_T):
        """Kymatio's deprecated oversampling = k: stride 2**(log2_T - k), accepting a passed
        stride only if it is 2**(log2_T - k - 1) (docs/scattering-options.md §1.2)."""
        if not k:
            return stride
        warnings.warn(_OVERSAMPLING_ARGUMENT, DeprecationWarning, stacklevel=3)
        if stride is not None and stride != 2 ** (log2_T - k - 1):
            raise ValueError(f"oversampling={k} and stride={stride}are incompatible")
        return 2 ** (log2_T - k)

    def _check_frequencies_decrease(self, Q):
        """Kymatio asserts that ξ1 > ξ2 whenever j1 < j2 (formulas §1.10)."""
        p1, p2 = np.array(self._core.psi1_params), np.array(self._core.psi2_params)
        bad = (p1[:, None, 2] < p2[None, :, 2]) & (p1[:, None, 0] <= p2[None, :, 0])
        if bad.any():
            n1, n2 = (int(i[0]) for i in np.nonzero(bad))
            raise ScatteringAssertionError(
                f"Q={Q}: the banks do not decrease in frequency along every path (order-1 wavelet "
                f"{n1}: xi={p1[n1, 0]:.6g}, j={int(p1[n1, 2])}; order-2 wavelet {n2}: "
                f"xi={p2[n2, 0]:.6g}, j={int(p2[n2, 2])}); Kymatio 0.4 refuses such banks with an "
                "AssertionError")

    # ---- Kymatio's attributes (docs/scattering-options.md §1.10) ----

    def _check_stride(self):
        """Raises the stride's error, as Kymatio does on a call (§1.2, §1.5)."""
        if self._stride_error is not None:
            raise self._stride_error()

    @property
    def log2_stride(self):
        self._check_stride()
        return self._log2_stride

    @property
    def stride(self):
        return 2 ** self.log2_stride

    @property
    def oversampling(self):
        warnings.warn(_OVERSAMPLING_ATTRIBUTE, DeprecationWarning, stacklevel=2)
        return self._oversampling

    @property
    def filterbank(self):
        return anden_generator, {'alpha': ALPHA, 'r_psi': R_PSI, 'sigma0': SIGMA0}

    def _filter_dicts(self):
        if self._filters is None:
            self._filters = (self._core.phi_f(), self._core.psi1_f(), self._core.psi2_f())
        return self._filters

    @property
    def phi_f(self):
        """{'levels', 'xi', 'sigma', 'j', 'N'}: φ̂ at the levels Kymatio stores (float64)."""
        return self._filter_dicts()[0]

    @property
    def psi1_f(self):
        """Per order-1 wavelet {'levels', 'xi', 'sigma', 'j'} (one level, full length)."""
        return self._filter_dicts()[1]

    @property
    def psi2_f(self):
        """Per order-2 wavelet {'levels', 'xi', 'sigma', 'j'}."""
        return self._filter_dicts()[2]

    def meta(self):
        """Channel metadata in Kymatio's format: 'order' (C,) int64; 'n', 'j', 'xi', 'sigma'
        (C, max_order) float64 with NaN where unused; 'key' the n tuple of each channel."""
        self._check_stride()  # as Kymatio's meta()
        return self._core.meta()

    def filters(self):
        """Fourier-domain filters at the padded length, float64: 'phi' (N_pad,), 'psi1'
        (K1, N_pad), 'psi2' (K2, N_pad), decreasing centre frequency."""
        return self._core.filters()

    # ---- calling ----

    def __call__(self, x):
        """Scattering transform of ``x``; see the class docstring."""
        out = self._core(self._check_call(x))
        return out if self.out_type == 'array' else self._outputs(out)

    def _check_call(self, x):
        """The checks of a call in Kymatio's order (§1.11); ``x`` converted for the core."""
        out_type = self.out_type
        if not isinstance(out_type, str) or out_type not in _OUT_TYPES:
            raise ValueError(f"out_type must be one of 'array', 'dict', or 'list'. Got: {out_type}")
        if self.average is False and out_type == 'array':
            raise ValueError("Cannot convert to out_type='array' with T=0. Please set out_type to "
                             "'dict' or 'list'.")
        return self._checked_input(x)

    def _outputs(self, out):
        """The core's output (an array, or a torch tensor) as out_type 'list' or 'dict'."""
        coefs = self._per_path(out)
        if self.out_type == 'list':
            return [dict({'coef': c}, **labels) for c, labels in zip(coefs, self._labels())]
        # Depth-first generation order: the n tuples in lexicographic order (§1.6).
        keyed = sorted(zip((labels['n'] for labels in self._labels()), coefs), key=lambda p: p[0])
        return dict(keyed)

    def _checked_input(self, x):
        """``x`` checked in Kymatio's order (§1.11) and converted for the core."""
        if x is None:
            raise ScatteringAttributeError("'NoneType' object has no attribute 'shape' (x is None: "
                                           f"expected an array (..., {self.N}))")
        a = np.asarray(x)
        if a.ndim == 0:
            raise ValueError("Input tensor x should have at least one axis, got 0 (x is a scalar: "
                             f"expected an array (..., {self.N}))")
        fit = f"input of shape {a.shape} does not fit: expected (..., {self.N})"
        if a.shape[-1] <= max(self.pad_left, self.pad_right):
            raise ValueError(f"Indefinite padding size (larger than tensor). ({fit})")
        self._check_stride()
        if self._oversampling is None and self.average != 'local':
            raise kymatio_error(TypeError, "unsupported operand type(s) for -: 'int' and "
                                "'NoneType'", "oversampling=None only works with T >= 1")
        if a.dtype.kind not in 'biuf':
            raise kymatio_error(TypeError, "The input should be real.",
                                f"x has dtype {a.dtype}: expected float32, float64, integer or bool")
        if a.shape[-1] != self.N:
            raise kymatio_error(RuntimeError, "The inputs are not compatible for multiplication.",
                                fit)
        return _checks.real_input(a)

    def _per_path(self, out):
        """Views of each path's coefficients in the core's output (zero-copy)."""
        if self._core.uniform:
            return [out[..., c, :] for c in range(out.shape[-2])]
        return [out[..., o:o + n]
                for o, n in zip(self._core.output_offsets, self._core.output_lengths)]

    def _labels(self):
        if self._paths is None:
            m = self._core.meta()
            self._paths = [
                {'j': tuple(int(v) for v in m['j'][c, :k]), 'n': tuple(m['key'][c]), 'order': k}
                for c, k in enumerate(int(o) for o in m['order'])]
        return self._paths

    def __setstate__(self, state):
        with warnings.catch_warnings():  # rebuilding is not the user passing oversampling again
            warnings.simplefilter('ignore', DeprecationWarning)
            self.__init__(**state)
