"""Time-frequency tools: scipy.signal-compatible STFT / ISTFT, the continuous wavelet transform,
frequency grids and Heisenberg boxes, computed by the C++ library (docs/TIME-FREQUENCY.md)."""
import warnings

import numpy as np

from . import _checks
from . import _wst


# ---- windows (scipy.signal.get_window(window, L), periodic / DFT-even) --------------------------

def _periodic_hann(L):
    # scipy's general_cosine(L + 1, [0.5, 0.5]) without its last sample, operation for operation.
    if L <= 1:
        return np.ones(L)
    fac = np.linspace(-np.pi, np.pi, L + 1)
    w = np.zeros(L + 1)
    w += 0.5 * np.cos(0 * fac)
    w += 0.5 * np.cos(fac)
    return w[:-1]


def _periodic_gaussian(L, std):
    # scipy's gaussian(L + 1, std) without its last sample: centre at L/2.
    if L <= 1:
        return np.ones(L)
    n = np.arange(0, L + 1) - L / 2.0
    return np.exp(-n ** 2 / (2 * std * std))[:-1]


def _named_window(window, L):
    """The window ``window`` ('hann', 'boxcar', ('gaussian', std)) of length L, as
    scipy.signal.get_window(window, L) (periodic) returns it."""
    name, args = (window, ()) if isinstance(window, str) else (window[0], tuple(window[1:]))
    if not isinstance(name, str):
        raise ValueError(f"window={window!r} is not supported: use 'hann', 'boxcar', "
                         "('gaussian', std) or a 1-D array")
    if name in ('hann', 'han') and not args:
        return _periodic_hann(L)
    if name in ('boxcar', 'box', 'ones', 'rect', 'rectangular') and not args:
        return np.ones(L)
    if name in ('gaussian', 'gauss', 'gss'):
        if len(args) != 1:
            raise ValueError("the gaussian window needs its standard deviation: "
                             "window=('gaussian', std)")
        std = float(args[0])
        if not np.isfinite(std) or std <= 0:
            raise ValueError(f"gaussian window std={args[0]!r} is out of range: must be > 0")
        return _periodic_gaussian(L, std)
    raise ValueError(f"window={window!r} is not supported: use 'hann', 'boxcar', "
                     "('gaussian', std) or a 1-D array")


def _segment_length(value, name):
    return _checks.integer(value, name, 1, _checks.SIZE_MAX)


def _triage(window, nperseg, input_length):
    """scipy's _triage_segments: (window array, nperseg)."""
    if isinstance(window, (str, tuple)):
        nperseg = 256 if nperseg is None else _segment_length(nperseg, 'nperseg')
        if nperseg > input_length:
            warnings.warn(f"nperseg = {nperseg:d} is greater than input length  = "
                          f"{input_length:d}, using nperseg = {input_length:d}")
            nperseg = input_length
        return _named_window(window, nperseg), nperseg
    win = np.asarray(window, dtype=np.float64)
    if win.ndim != 1:
        raise ValueError('window must be 1-D')
    if input_length < win.shape[-1]:
        raise ValueError('window is longer than input signal')
    if nperseg is None:
        nperseg = win.shape[0]
    elif _segment_length(nperseg, 'nperseg') != win.shape[0]:
        raise ValueError(f"nperseg={nperseg} is different from the length of the window "
                         f"({win.shape[0]})")
    return win, nperseg


def _hop(nperseg, noverlap):
    if noverlap is None:
        noverlap = nperseg // 2
    else:
        noverlap = _checks.integer(noverlap, 'noverlap', 0, _checks.SIZE_MAX)
    if noverlap >= nperseg:
        raise ValueError(f"noverlap={noverlap} must be less than nperseg={nperseg}")
    return nperseg - noverlap


def _scaling(scaling):
    """scipy's name → (the C++ scaling, whether to apply the 'psd' factor)."""
    if scaling == 'spectrum':
        return 'spectrum', False
    if scaling == 'psd':
        return 'none', True
    if scaling is None or scaling == 'none':
        return 'none', False
    raise ValueError(f"scaling={scaling!r} is not supported: choose 'spectrum', 'psd' or None "
                     "(plain windowed DFT)")


def _complex_input(x, name):
    a = np.asarray(x)
    kind, size = a.dtype.kind, a.dtype.itemsize
    if kind == 'c' and size in (8, 16):
        target = np.complex64 if size == 8 else np.complex128
    elif kind == 'f' and size in (2, 4):
        target = np.complex64
    elif kind in 'biufc':
        target = np.complex128
    else:
        raise TypeError(f"{name} has dtype {a.dtype}, which is not supported: expected a numeric "
                        "array")
    if a.dtype.type is target and a.dtype.isnative and a.flags.c_contiguous and a.flags.aligned:
        return a
    return np.array(a, dtype=target, order='C', copy=True)


# ---- STFT ---------------------------------------------------------------------------------------

def stft(x, fs=1.0, window='hann', nperseg=256, noverlap=None, nfft=None, boundary='zeros',
         padded=True, scaling='spectrum', return_onesided=True, *, threads=None):
    """Short-time Fourier transform, as ``scipy.signal.stft`` along the last axis.

    Parameters
    ----------
    x : array_like (..., N)
        float32 input is computed in float32 (Z complex64), other real input in float64
        (complex128). Complex input gives the two-sided transform.
    fs : float
        Sampling frequency (scales f and t only).
    window : 'hann', 'boxcar', ('gaussian', std) or 1-D array
        Named windows are scipy's periodic ones of length nperseg.
    nperseg, noverlap, nfft : int
        Window length (default 256), overlap (default nperseg // 2), FFT length (default nperseg).
    boundary, padded : {('zeros', True), (None, False)}
        scipy's default (pad nperseg // 2 zeros at both ends, then zeros to whole frames) or
        frames inside the signal only. Other combinations raise ValueError.
    scaling : {'spectrum', 'psd', None}
        'spectrum' divides by sum(w); 'psd' by sqrt(fs * sum(w**2)); None: plain windowed DFT.
    return_onesided : bool
        One-sided spectrum of real input (F // 2 + 1 bins), else two-sided (F bins).
    threads : int, optional
        Threads splitting the batch (default os.cpu_count()).

    Returns
    -------
    f : ndarray (bins,), t : ndarray (frames,), Z : ndarray (..., bins, frames)

    Notes
    -----
    Unlike scipy, a window/hop pair that violates NOLA (e.g. a periodic Hann window with
    noverlap=0) is refused with ValueError, since it has no inverse.
    """
    threads = _checks.threads(threads)
    a = np.asarray(x)
    complex_in = a.dtype.kind == 'c'
    if complex_in and return_onesided:
        warnings.warn('Input data is complex, switching to return_onesided=False')
    if complex_in or not return_onesided:
        a = _complex_input(a, 'x')
        onesided = False
    else:
        a = _checks.real_input(a)
        onesided = True
    if a.ndim == 0:
        raise ValueError("x is a scalar (shape ()): expected an array (..., N)")
    if boundary == 'zeros' and padded is True:
        cpp_boundary = 'zeros'
    elif boundary is None and padded is False:
        cpp_boundary = 'none'
    else:
        raise ValueError(f"boundary={boundary!r} with padded={padded!r} is not supported: use "
                         "boundary='zeros', padded=True (the default) or boundary=None, "
                         "padded=False")
    N = a.shape[-1]
    win, nperseg = _triage(window, nperseg, N)
    nfft = nperseg if nfft is None else _checks.integer(nfft, 'nfft', 1, _checks.SIZE_MAX)
    if nfft < nperseg:
        raise ValueError(f"nfft={nfft} must be greater than or equal to nperseg={nperseg}")
    hop = _hop(nperseg, noverlap)
    cpp_scaling, psd = _scaling(scaling)
    Z, frames = _wst.stft(a, win, hop, nfft, cpp_scaling, cpp_boundary, threads)
    if psd:
        Z *= Z.real.dtype.type(1.0 / np.sqrt(fs * (win * win).sum()))
    f = np.fft.rfftfreq(nfft, 1 / fs) if onesided else np.fft.fftfreq(nfft, 1 / fs)
    # scipy's t: frame centres of the extended signal, shifted back by the boundary padding.
    length = N + (2 * (nperseg // 2) if cpp_boundary == 'zeros' else 0)
    if padded:
        length += (-(length - nperseg) % hop) % nperseg
    t = np.arange(nperseg / 2, length - nperseg / 2 + 1, hop) / float(fs)
    if cpp_boundary == 'zeros':
        t -= (nperseg / 2) / fs
    assert t.shape[0] == frames
    return f, t, Z


def istft(Z, fs=1.0, window='hann', nperseg=None, noverlap=None, nfft=None, input_onesided=True,
          boundary=True, scaling='spectrum', *, threads=None):
    """Inverse STFT (least-squares overlap-add), as ``scipy.signal.istft`` with Z (..., bins,
    frames).

    Parameters
    ----------
    Z : array_like (..., bins, frames)
        complex64 (or float32) is inverted in float32, other input in float64.
    fs : float
    window : 'hann', 'boxcar', ('gaussian', std) or 1-D array
    nperseg, noverlap, nfft : int
        Defaults as scipy's: nperseg from the number of bins, noverlap nperseg // 2.
    input_onesided : bool
        Z is one-sided (nfft // 2 + 1 bins, real output) or two-sided (complex output).
    boundary : bool
        Z was computed with boundary='zeros' (True) or None (False).
    scaling : {'spectrum', 'psd', None}
    threads : int, optional

    Returns
    -------
    t : ndarray (N,), x : ndarray (..., N)
        N = nperseg + (frames - 1) * hop, minus 2 * (nperseg // 2) when boundary is True.
        Samples no frame covers (boundary=False) come back as 0. A window/hop pair that violates
        NOLA raises ValueError (scipy only warns).
    """
    threads = _checks.threads(threads)
    Z = _complex_input(Z, 'Z')
    if Z.ndim < 2:
        raise ValueError(f"Z of shape {Z.shape} does not fit: expected (..., bins, frames)")
    nseg, nfreq = Z.shape[-1], Z.shape[-2]
    n_default = 2 * (nfreq - 1) if input_onesided else nfreq
    nperseg = n_default if nperseg is None else _segment_length(nperseg, 'nperseg')
    if nfft is None:
        nfft = nperseg if (input_onesided and nperseg == n_default + 1) else n_default
    else:
        nfft = _checks.integer(nfft, 'nfft', 1, _checks.SIZE_MAX)
        if nfft < nperseg:
            raise ValueError(f"nfft={nfft} must be greater than or equal to nperseg={nperseg}")
    hop = _hop(nperseg, noverlap)
    if isinstance(window, (str, tuple)):
        win = _named_window(window, nperseg)
    else:
        win = np.asarray(window, dtype=np.float64)
        if win.ndim != 1:
            raise ValueError('window must be 1-D')
        if win.shape[0] != nperseg:
            raise ValueError(f"window must have length of {nperseg}")
    bins = nfft // 2 + 1 if input_onesided else nfft
    if nfreq != bins:
        raise ValueError(f"Z of shape {Z.shape} does not fit: expected (..., {bins}, frames) for "
                         f"nfft={nfft}{' (one-sided)' if input_onesided else ''}")
    cpp_scaling, psd = _scaling(scaling)
    if psd:
        Z = Z * Z.real.dtype.type(np.sqrt(fs * (win * win).sum()))
    N = nperseg + (nseg - 1) * hop - (2 * (nperseg // 2) if boundary else 0)
    if N < 1:
        raise ValueError(f"Z has {nseg} frame(s): too few for a signal with nperseg={nperseg}")
    x = _wst.istft(Z, win, hop, nfft, cpp_scaling, 'zeros' if boundary else 'none', N,
                   bool(input_onesided), threads)
    return np.arange(x.shape[-1]) / float(fs), x


# ---- CWT ----------------------------------------------------------------------------------------

def cwt(x, frequencies, wavelet='morlet', sigma_ratio=None, Q=8, boundary='zeros', *,
        threads=None):
    """Continuous wavelet transform W[k, n] = IDFT(X̂ · ψ̂_k)[n] (docs/TIME-FREQUENCY.md).

    Parameters
    ----------
    x : array_like (..., N)
        Real; float32 is computed in float32 (complex64 output), the rest in float64.
    frequencies : array_like (K,)
        Centre frequencies ξ_k in cycles/sample, in (0, 0.5].
    wavelet : {'morlet', 'gabor', 'mexican_hat'}
    sigma_ratio : float, optional
        Bandwidth over centre frequency σ_k/ξ_k (default: the constant-Q value for Q).
    Q : float
        Voices per octave defining the default sigma_ratio, >= 1.
    boundary : {'zeros', 'periodic'}
    threads : int, optional

    Returns
    -------
    W : ndarray (..., K, N), complex
    """
    threads = _checks.threads(threads)
    a = _checks.real_input(x)
    freqs = np.asarray(frequencies, dtype=np.float64)
    if freqs.ndim > 1:
        raise ValueError(f"frequencies must be 1-D, got shape {freqs.shape}")
    if sigma_ratio is None:
        rho = 0.0
    else:
        rho = float(sigma_ratio)
        if not np.isfinite(rho) or rho <= 0:
            raise ValueError(f"sigma_ratio={sigma_ratio!r} is out of range: must be > 0 "
                             "(None for the constant-Q default)")
    if not isinstance(wavelet, str) or not isinstance(boundary, str):
        raise ValueError(f"wavelet={wavelet!r}, boundary={boundary!r}: expected strings")
    return _wst.cwt(a, freqs.ravel().tolist(), wavelet, rho, float(Q), boundary, threads)


def octave_frequencies(xi_max, octaves, Q):
    """Centre frequencies xi_max * 2**(-k/Q), k = 0 … octaves*Q - 1 (decreasing), float64."""
    return _wst.octave_frequencies(float(xi_max), _checks.integer(octaves, 'octaves'),
                                   _checks.integer(Q, 'Q'))


def log_frequencies(f_lo, f_hi, count):
    """``count`` frequencies log-spaced from f_hi down to f_lo, both included (0 < f_lo <= f_hi
    <= 0.5), float64."""
    count = _checks.integer(count, 'count', 1, _checks.SIZE_MAX)
    return _wst.log_frequencies(float(f_lo), float(f_hi), count)


def heisenberg(g):
    """Heisenberg box of a sampled window or wavelet g (1-D, real or complex).

    Returns a dict: 'mu_t', 'sigma_t' (samples), 'mu_omega', 'sigma_omega' (radians/sample),
    'product' (sigma_t * sigma_omega >= 1/2) and 'sigma_f' (sigma_omega / 2π, cycles/sample).
    """
    a = np.asarray(g)
    if a.ndim != 1:
        raise ValueError(f"g must be 1-D, got shape {a.shape}")
    if a.dtype.kind == 'c':
        return _wst.heisenberg_complex(a.astype(np.complex128))
    if a.dtype.kind in 'biuf':
        return _wst.heisenberg_real(a.astype(np.float64))
    raise TypeError(f"g has dtype {a.dtype}, which is not supported: expected a real or complex "
                    "array")
