"""TimeFrequencyScattering: a drop-in for kymatio.numpy's (Kymatio 0.4), computed by the C++
library. Parameters, errors, output layouts and meta() follow docs/jtfs-formulas.md (§J1, §J6,
§J7; the full text is shared/docs/jtfs-formulas.md)."""
import numpy as np

from . import _checks
from ._errors import ScatteringAssertionError, ScatteringAttributeError, kymatio_error
from ._frontend import _check_backend
from ._scattering1d import (_floor_log2, _int_or_none, _parse_Q, _parse_shape, _parse_T,
                            _real_or_none, _stride_problem)
from ._wst import Scattering1DCore, TimeFrequencyScatteringCore

_OUT_TYPES = ('array', 'dict', 'list')
_FORMATS = ('time', 'joint')
_NOT_IMPLEMENTED = "wst's joint time-frequency scattering does not implement this"


def _parse_J_fr(J_fr):
    """J_fr: an integer >= 0 (§J1.2; Kymatio fails on a negative one with a TypeError)."""
    J_fr = _checks.integer(J_fr, 'J_fr')
    if J_fr < 0:
        raise kymatio_error(TypeError, "J_fr must be nonnegative", f"J_fr={J_fr} is out of range: "
                            "J_fr must be in [0, 16]")
    return J_fr


def _parse_Q_fr(Q_fr):
    """Q_fr: an int >= 1 or a 1-tuple (§J1.2, errors of §J1.3)."""
    for q in Q_fr if isinstance(Q_fr, tuple) else (Q_fr,):
        value = _real_or_none(q)
        if value is not None and value < 1:
            raise ValueError(f"Q_fr must be >= 1, got {Q_fr} (Q_fr={q} is out of range: "
                             "frequential wavelets per octave must be in [1, 128])")
    if isinstance(Q_fr, tuple) and len(Q_fr) != 1:
        raise kymatio_error(NotImplementedError, "Q_fr must be an integer or 1-tuple. "
                            "Time-frequency scattering beyond order 2 is not implemented.",
                            f"got Q_fr={Q_fr}")
    q = Q_fr[0] if isinstance(Q_fr, tuple) else Q_fr
    if _int_or_none(q) is None:
        raise ValueError(f"Q_fr must be an integer or 1-tuple. (Q_fr={Q_fr!r}: expected an "
                         "integer from 1 to 128)")
    return _checks.integer(q, 'Q_fr', 1, 128)


def _parse_F(F, N_input_fr):
    """(F for the core, 0 meaning 2^J_fr; averaging_fr) of §J1.2: None, 'global', 0 or a number
    in [1, N_input_fr = (J+1)·Q1]."""
    if F is None:
        return 0.0, 'local'
    if isinstance(F, str) and F == 'global':
        return 0.0, 'global'
    value = _real_or_none(F)
    if value is None:
        raise kymatio_error(TypeError, f"'>' not supported between instances of "
                            f"'{type(F).__name__}' and 'int'", f"F={F!r}: expected None, "
                            f"'global', 0 or a number in [1, (J+1)*Q1={N_input_fr}]")
    detail = (f"F={F} is out of range: the frequential averaging scale must be in "
              f"[1, (J+1)*Q1={N_input_fr}]")
    if value > N_input_fr:
        raise ValueError(f"The support F of the low-pass filter cannot exceed input length (got "
                         f"{F} > {N_input_fr}). For large averaging size, consider passing "
                         f"F='global'. ({detail})")
    if value == 0:
        return 0.0, 'none'
    if not value >= 1:
        raise ValueError(f"F must be ==0 or >=1 (got {F}) ({detail})")
    return float(value), 'local'


def _stride_fr_problem(stride_fr, stride, F, average_fr):
    """None for a usable stride_fr, else a function making Kymatio's call-time error (§J1.3; the
    'incompatible' sentence prints the time stride, Kymatio's bug)."""
    if stride_fr is None:
        return None
    value = _int_or_none(stride_fr)
    if value is None:
        return lambda: ValueError(f"stride_fr must be integer. Got: {stride_fr}")
    if value <= 0:
        return lambda: kymatio_error(ValueError, "math domain error", f"stride_fr={stride_fr}: "
                                     "must be a power of two >= 1")
    if value & (value - 1):
        return lambda: ValueError(f"stride_fr must be a power of two. Got: {stride_fr}")
    if average_fr != 'local':
        return lambda: ValueError(f"stride_fr={stride} is incompatible with F={F}.")
    return None


def _kymatio_meta(rows, joint):
    """Kymatio's meta() dict (§J7) from the core's rows (already in Kymatio's sorted order)."""
    order, n1, n2, n_fr = rows['order'], rows['n1'], rows['n2'], rows['n_fr']
    C = len(order)
    n = np.empty((C, 2), dtype=object)
    keys = [()] if joint else []
    for c in range(C):
        o = int(order[c])
        if joint:
            first = range(0, int(rows['n1_max'][c]), int(rows['n1_stride'][c]))
            keys.append((int(n_fr[c]),) if o == 1 else (int(n2[c]), int(n_fr[c])))
        else:
            first = int(n1[c]) if o else np.nan
            keys.append(() if o == 0 else (int(n1[c]), int(n_fr[c])) if o == 1
                        else (int(n1[c]), int(n2[c]), int(n_fr[c])))
        n[c] = [first, int(n2[c]) if o == 2 else np.nan]
    meta = {'key': keys, 'order': np.asarray(order, dtype=np.int64), 'n': n,
            'n_fr': (np.asarray(n_fr, dtype=np.int64) if joint
                     else np.where(order == 0, np.nan, n_fr.astype(np.float64)))}
    for name in ('j', 'xi', 'sigma', 'j_fr', 'xi_fr', 'sigma_fr', 'spin'):
        meta[name] = np.array(rows[name], dtype=np.float64)
    return meta


def _record_labels(rows, joint):
    """The labels of the 'list' records of each output channel ('time') or path ('joint'), in
    output order (§J6.3): 'time' records carry order − 1 (Kymatio's bug)."""
    labels = [None] * len(rows['order'])
    for c in range(len(rows['order'])):
        o, n_fr = int(rows['order'][c]), int(rows['n_fr'][c])
        if o == 0:
            labels[int(rows['channel'][c])] = {'n': (), 'j': (), 'order': 0}
            continue
        n2, spin = int(rows['n2'][c]), float(rows['spin'][c])
        head = () if joint else (int(rows['n1'][c]),)
        record = {'n': head + ((n_fr,) if o == 1 else (n2, n_fr)),
                  'j': (-1,) if o == 1 else (-1, int(rows['j'][c, 1])),
                  'j_fr': (int(rows['j_fr'][c]),), 'n_fr': (n_fr,),
                  'spin': spin if spin else 0}
        if joint:
            record.update(n1_max=int(rows['n1_max'][c]), n1_stride=int(rows['n1_stride'][c]),
                          order=o)
        else:
            record['order'] = o - 1
        labels[int(rows['channel'][c])] = record
    return labels


class TimeFrequencyScattering:
    """Joint time-frequency scattering, numerically identical to
    ``kymatio.numpy.TimeFrequencyScattering`` (Kymatio 0.4).

    Parameters (Kymatio's order, docs/jtfs-formulas.md §J1)
    ----------
    J : int
        Maximum log2 scale of the time wavelets, J >= 1 and 2**J <= N.
    J_fr : int
        Maximum log2 scale of the frequential wavelets, 0 to 16.
    Q : int or tuple (Q1, Q2)
        Time wavelets per octave at orders 1 and 2; an int Q means (Q, 1).
    shape : int or tuple of one int
        Input length N.
    T : None, 'global' or a number in [1, N]
        Time averaging: None → 2**J; 'global' → a sum over time. (0 is accepted as by Kymatio,
        but its 'list'/'dict' output is not implemented.)
    stride : int, optional
        A power of two from 2**j2max to 2**floor(log2 T) (the default).
    Q_fr : int or 1-tuple, default 1
    F : None, 'global', 0 or a number in [1, (J+1)*Q1]
        Frequential averaging: None → 2**J_fr; 0 → none (format 'time').
    stride_fr : int, optional
        A power of two up to 2**floor(log2 F) (the default).
    out_type : {'array', 'list', 'dict'}, default 'array'
    format : {'time', 'joint'}, default 'time'
        'time': (..., C, N_out), order 0 and one channel per frequential row; 'joint':
        (..., P, R, N_out), the first- and second-order paths, R rows each.
    backend : None or 'numpy'
    threads : int, optional
        Threads splitting the batch (default: os.cpu_count()); results do not depend on it.
    planning : {'estimate', 'measure'}, default 'estimate'

    ``S(x)`` takes any leading batch shape (..., N). float32 input is computed and returned in
    float32 (Kymatio returns float64), float64, integer and bool input in float64. The GIL is
    released during the transform. ``meta()`` is Kymatio's dict of NumPy arrays (§J7).
    """

    def __init__(self, J, J_fr, Q, shape, T=None, stride=None, Q_fr=1, F=None, stride_fr=None,
                 out_type='array', format='time', backend='numpy', *, threads=None,
                 planning='estimate'):
        N = _parse_shape(shape)
        J = _checks.integer(J, 'J')
        T_value, average = _parse_T(T, J, N)
        Q = _parse_Q(Q)
        Q_fr = _parse_Q_fr(Q_fr)
        F_value, average_fr = _parse_F(F, (J + 1) * Q[0])
        J_fr = _parse_J_fr(J_fr)
        self.backend = _check_backend(backend)
        threads_given, threads = threads, _checks.threads(threads)
        planning = _checks.planning(planning)
        log2_T = _floor_log2(T_value)
        ls, self._stride_error = _stride_problem(stride, T, average, log2_T, J)
        self._stride_fr_error = _stride_fr_problem(stride_fr, stride, F, average_fr)
        self._params = dict(J=J, J_fr=J_fr, Q=Q, shape=(N,), T=T, stride=stride, Q_fr=Q_fr, F=F,
                            stride_fr=stride_fr, format=format, threads=threads_given,
                            planning=planning)
        self._core_args = dict(
            J=J, J_fr=J_fr, N=N, Q1=Q[0], Q2=Q[1], Q_fr=Q_fr,
            averaging='none' if average is False else average,
            T=float(T_value) if average == 'local' and T is not None else 0.0,
            stride=2 ** ls if stride is not None and self._stride_error is None else 0,
            averaging_fr=average_fr, F=F_value,
            stride_fr=stride_fr if stride_fr is not None and self._stride_fr_error is None else 0,
            threads=threads, planning=planning)
        self.J, self.J_fr, self.Q, self.Q_fr, self.shape, self.N = J, J_fr, Q, Q_fr, (N,), N
        self.T, self.average, self.log2_T = T_value, average, log2_T
        self.average_fr = False if average_fr == 'none' else average_fr
        self.oversampling_fr = 0
        self.out_type, self.format, self.threads, self.planning = (out_type, format, threads,
                                                                   planning)
        self._cores, self._s0 = {}, None
        if average is not False:  # T = 0 has no array output; wst computes none (§J8)
            self._core(format if format in _FORMATS else 'time', at_construction=True)

    # ---- the C++ transforms -------------------------------------------------------------------

    def _core(self, fmt, at_construction=False):
        """The core of format ``fmt``, built once; a configuration Kymatio only fails on when
        called (§J1.4) raises then, others at construction."""
        if fmt not in self._cores:
            self._cores[fmt] = self._make_core(fmt)
        core = self._cores[fmt]
        if isinstance(core, Exception) and not at_construction:
            raise core
        return core

    def _make_core(self, fmt):
        try:
            return TimeFrequencyScatteringCore(**self._core_args, format=fmt)
        except ValueError as error:
            if 'which Kymatio rejects' in str(error):  # Kymatio's bank assertion (§J2)
                raise ScatteringAssertionError(str(error)) from None
            if 'Kymatio does not store' in str(error):  # §J1.4 item 2b
                raise kymatio_error(IndexError, "list index out of range", str(error)) from None
            try:  # does it fail only through the strides or the format (§J1.4)?
                TimeFrequencyScatteringCore(**dict(self._core_args, stride=0, stride_fr=0),
                                            format='time')
            except ValueError:
                raise error from None
            return error

    def _order0(self, x):
        """S0 for the 'joint' list and dict (the joint array drops it): order 0 of Scattering1D
        with the same T and stride (§J4.1)."""
        if self._s0 is None:
            a = self._core_args
            stride = self._core(self.format).stride if self.average == 'local' else 0
            self._s0 = Scattering1DCore(self.J, self.N, a['Q1'], a['Q2'], a['averaging'], a['T'],
                                        stride, 1, self.threads, self.planning)
        return self._s0(x)[..., 0, :]

    # ---- Kymatio's attributes and meta() ------------------------------------------------------

    def _check_strides(self):
        for problem in (self._stride_error, self._stride_fr_error):
            if problem is not None:
                raise problem()

    def _check_T0(self):
        if self.average is False:
            raise kymatio_error(NotImplementedError, f"{_NOT_IMPLEMENTED}: T=0 (no time "
                                "averaging, out_type 'list' or 'dict')", "use T=None, a number "
                                "in [1, N] or 'global'")

    @property
    def log2_stride(self):
        """log2 of the time stride: J with T = 'global' or 0 (§J8)."""
        self._check_strides()
        return _floor_log2(self._active().stride) if self.average == 'local' else self.J

    @property
    def stride(self):
        return 2 ** self.log2_stride

    @property
    def F(self):
        return self._active().F

    @property
    def log2_F(self):
        return self._active().log2_F

    @property
    def N_fr(self):
        """The zero-padded length of the frequential axis (§J3.1)."""
        return self._active().N_fr

    @property
    def pad_left(self):
        return self._active().pad_left

    @property
    def pad_right(self):
        return self._active().pad_right

    def _active(self):
        self._check_T0()
        return self._core(self.format if self.format in _FORMATS else 'time')

    def meta(self):
        """Kymatio's meta() (§J7): 'key', 'order', 'n' (object (C, 2)), 'n_fr', 'j', 'xi',
        'sigma' (C, 2), 'j_fr', 'xi_fr', 'sigma_fr', 'spin'; NaN where unused. Rows are sorted
        by key (for 'time' not in output order, as in Kymatio); 'joint' keys start with ()."""
        self._check_strides()
        self._check_format()
        self._check_T0()
        return _kymatio_meta(self._core(self.format).meta_rows(), self.format == 'joint')

    def _check_format(self):
        if not isinstance(self.format, str) or self.format not in _FORMATS:
            raise ValueError(f"format must be 'time' or 'joint'. Got: {self.format}")

    # ---- calling --------------------------------------------------------------------------------

    def __call__(self, x):
        """The transform of ``x`` (..., N); see the class docstring."""
        x = self._check_call(x)
        core = self._core(self.format)
        out = core(x)
        if self.out_type == 'array':
            return out
        labels = _record_labels(core.meta_rows(), self.format == 'joint')
        if self.format == 'joint':
            records = [dict({'coef': self._order0(x)}, n=(), j=(), order=0)]
            for p, record in enumerate(labels):
                rows = min(1 + record['n1_max'] // record['n1_stride'], out.shape[-2])
                records.append(dict({'coef': out[..., p, :rows, :]}, **record))
        else:
            records = [dict({'coef': out[..., c, :]}, **record) for c, record in enumerate(labels)]
        if self.out_type == 'list':
            return records
        return {record['n']: record['coef'] for record in records}

    def scattering(self, x):
        """Same as ``self(x)``."""
        return self(x)

    def _check_call(self, x):
        """The checks of a call in Kymatio's order (§J1.3); ``x`` converted for the core."""
        self._check_strides()
        out_type = self.out_type
        if not isinstance(out_type, str) or out_type not in _OUT_TYPES:
            raise ValueError(f"out_type must be one of 'array', 'dict', or 'list'. Got: {out_type}")
        if self.average is False and out_type == 'array':
            raise ValueError("Cannot convert to out_type='array' with T=0. Please set out_type to "
                             "'dict' or 'list'.")
        if self.format == 'joint' and out_type == 'array' and self.average_fr is False:
            raise ValueError("Cannot convert to format='joint' with out_type='array' and F=0. "
                             "Either set format='time', out_type='dict', or out_type='list'.")
        k = self.oversampling_fr
        if _real_or_none(k) is not None and _real_or_none(k) < 0:
            raise ValueError(f"oversampling_fr must be nonnegative. Got: {k}")
        if _int_or_none(k) is None:
            raise ValueError(f"oversampling_fr must be integer. Got: {k}")
        self._check_format()
        self._check_T0()
        if self.format == 'joint' and out_type != 'array' and self.average_fr != 'local':
            raise kymatio_error(NotImplementedError, f"{_NOT_IMPLEMENTED}: format='joint' with "
                                f"out_type='{out_type}' and F={self._params['F']}",
                                "use format='time', or F None or a number")
        return self._checked_input(x)

    def _checked_input(self, x):
        if x is None:
            raise ScatteringAttributeError("'NoneType' object has no attribute 'shape' (x is None: "
                                           f"expected an array (..., {self.N}))")
        a = np.asarray(x)
        if a.ndim == 0:
            raise ValueError("Input tensor x should have at least one axis, got 0 (x is a scalar: "
                             f"expected an array (..., {self.N}))")
        core = self._core(self.format)
        fit = f"input of shape {a.shape} does not fit: expected (..., {self.N})"
        if a.shape[-1] <= max(core.pad_left, core.pad_right):
            raise ValueError(f"Indefinite padding size (larger than tensor). ({fit})")
        if a.dtype.kind not in 'biuf':
            raise kymatio_error(TypeError, "The input should be real.",
                                f"x has dtype {a.dtype}: expected float32, float64, integer or bool")
        if a.shape[-1] != self.N:
            raise kymatio_error(RuntimeError, "The inputs are not compatible for multiplication.",
                                fit)
        return _checks.real_input(a)

    def _bench_cpp_seconds(self, x, repeats):
        """Mean seconds of one C++ transform of ``x`` over ``repeats`` runs (GIL released)."""
        repeats = _checks.integer(repeats, 'repeats', 1)
        return self._core(self.format).bench_seconds(_checks.real_input(x), repeats)

    # Pickling (and copy/deepcopy) rebuilds the transform from its parameters.
    def __getstate__(self):
        return dict(self._params, format=self.format, out_type=self.out_type)

    def __setstate__(self, state):
        self.__init__(**state)

    def __eq__(self, other):
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()

    def __hash__(self):
        return hash((type(self).__name__, tuple(sorted(self._params.items()))))

    def __repr__(self):
        args = ', '.join(f"{k}={v!r}" for k, v in self.__getstate__().items())
        return f"{type(self).__name__}({args})"
