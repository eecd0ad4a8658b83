"""wst.stft / wst.istft against scipy.signal (run here) and shared/reference/tf (stored scipy
outputs), wst.cwt against the stored pywt chirp and the properties tests/core/test_cwt.cpp checks, and
wst.heisenberg against heisenberg.json. Tolerances are those of tests/core/test_stft.cpp,
tests/core/test_cwt.cpp and tests/core/test_heisenberg.cpp."""
import numpy as np
import pytest
import scipy.signal

import wst
from conftest import load_ref, read_json, rel_error, tf_ref

SIGNALS = ("chirp", "tones_click", "noise")


def rng():
    return np.random.default_rng(0)


# ---- STFT against scipy.signal.stft, run here ----------------------------------------------------

STFT_CASES = {
    "defaults": dict(),
    "hann 128, overlap 96, nfft 200": dict(window="hann", nperseg=128, noverlap=96, nfft=200),
    "gaussian std 20 (scipy's periodic one)": dict(window=("gaussian", 20), nperseg=128,
                                                   noverlap=100),
    "boxcar, no overlap": dict(window="boxcar", nperseg=64, noverlap=0),
    "array window (symmetric Hann)": dict(window=scipy.signal.windows.hann(100, sym=True),
                                          nperseg=100, noverlap=75),
    "fs 8000": dict(fs=8000.0, nperseg=64),
    "no boundary, not padded": dict(nperseg=100, noverlap=50, boundary=None, padded=False),
    "psd scaling, fs 100": dict(fs=100.0, nperseg=64, scaling="psd"),
    "odd nperseg 65": dict(nperseg=65, noverlap=40),
    "two-sided": dict(nperseg=64, return_onesided=False),
}


@pytest.mark.parametrize("case", sorted(STFT_CASES))
def test_stft_matches_scipy(case):
    kwargs = STFT_CASES[case]
    x = rng().standard_normal(1000)
    f, t, Z = wst.stft(x, **kwargs)
    fr, tr, Zr = scipy.signal.stft(x, **kwargs)
    assert Z.shape == Zr.shape and Z.dtype == np.complex128
    assert f.shape == fr.shape and t.shape == tr.shape
    assert rel_error(f, fr) <= 1e-15
    assert rel_error(t, tr) <= 1e-15
    assert rel_error(Z, Zr) <= 1e-10


def test_stft_of_complex_input_is_two_sided_as_scipy():
    g = rng()
    z = g.standard_normal(600) + 1j * g.standard_normal(600)
    with pytest.warns(UserWarning):
        f, t, Z = wst.stft(z, nperseg=64)
    with pytest.warns(UserWarning):
        fr, tr, Zr = scipy.signal.stft(z, nperseg=64)
    assert Z.shape == Zr.shape == (64, Zr.shape[-1]) and Z.dtype == np.complex128
    assert rel_error(f, fr) <= 1e-15 and rel_error(t, tr) <= 1e-15
    assert rel_error(Z, Zr) <= 1e-10
    _, y = wst.istft(Z, nperseg=64, input_onesided=False)
    assert y.dtype == np.complex128
    assert rel_error(y[:600], z) <= 1e-10


def test_stft_batch_and_float32():
    x = rng().standard_normal((2, 3, 700))
    f, t, Z = wst.stft(x, nperseg=128, noverlap=64)
    _, _, Zr = scipy.signal.stft(x, nperseg=128, noverlap=64)
    assert Z.shape == Zr.shape == (2, 3, 65, Zr.shape[-1])
    assert rel_error(Z, Zr) <= 1e-10
    np.testing.assert_array_equal(wst.stft(x[1, 2], nperseg=128, noverlap=64)[2], Z[1, 2])
    _, _, Zf = wst.stft(x.astype(np.float32), nperseg=128, noverlap=64)
    assert Zf.dtype == np.complex64
    assert rel_error(Zf, Zr) <= 1e-5
    # non-contiguous input: same numbers as a contiguous copy
    wide = np.zeros((2, 3, 1400))
    wide[..., ::2] = x
    np.testing.assert_array_equal(wst.stft(wide[..., ::2], nperseg=128, noverlap=64)[2], Z)


def test_stft_threads_are_bit_identical():
    x = rng().standard_normal((6, 2000)).astype(np.float32)
    a = wst.stft(x, nperseg=256, threads=1)[2]
    b = wst.stft(x, nperseg=256, threads=2)[2]
    assert a.tobytes() == b.tobytes()


ISTFT_CASES = {
    "defaults": (dict(), dict()),
    "hann 128, overlap 96, nfft 200": (dict(nperseg=128, noverlap=96, nfft=200),
                                       dict(nperseg=128, noverlap=96, nfft=200)),
    "gaussian std 20": (dict(window=("gaussian", 20), nperseg=128, noverlap=100),
                        dict(window=("gaussian", 20), nperseg=128, noverlap=100)),
    "fs 8000": (dict(fs=8000.0, nperseg=64), dict(fs=8000.0, nperseg=64)),
    "psd scaling, fs 100": (dict(fs=100.0, nperseg=64, scaling="psd"),
                            dict(fs=100.0, nperseg=64, scaling="psd")),
    "odd nperseg 65": (dict(nperseg=65, noverlap=40), dict(nperseg=65, noverlap=40)),
    "two-sided": (dict(nperseg=64, return_onesided=False), dict(nperseg=64, input_onesided=False)),
}


@pytest.mark.parametrize("case", sorted(ISTFT_CASES))
def test_istft_matches_scipy(case):
    fwd, inv = ISTFT_CASES[case]
    x = rng().standard_normal(1000)
    _, _, Z = scipy.signal.stft(x, **fwd)
    t, y = wst.istft(Z, **inv)
    tr, yr = scipy.signal.istft(Z, **inv)
    assert y.shape == yr.shape and y.dtype == yr.dtype  # complex for a two-sided Z
    assert rel_error(t, tr) <= 1e-15
    assert rel_error(y, yr) <= 1e-10
    # and the round trip is exact on the original samples
    assert rel_error(y[:1000], x) <= 1e-10


def test_istft_batch_and_float32():
    x = rng().standard_normal((2, 900))
    _, _, Z = wst.stft(x, nperseg=128)
    t, y = wst.istft(Z, nperseg=128)
    assert y.shape[:1] == (2,)
    assert rel_error(y[:, :900], x) <= 1e-10
    _, _, Zf = wst.stft(x.astype(np.float32), nperseg=128)
    _, yf = wst.istft(Zf, nperseg=128)
    assert yf.dtype == np.float32
    assert rel_error(yf[:, :900], x) <= 1e-5


# ---- STFT / ISTFT against the stored scipy outputs (shared/reference/tf) -------------------------

def reference_window(name):
    return "hann" if name == "hann" else load_ref(tf_ref("win_gauss256_std32.npy"))


@pytest.mark.parametrize("window", ["hann", "gauss"])
@pytest.mark.parametrize("signal", SIGNALS)
def test_stft_matches_the_reference_files(window, signal):
    x = load_ref(tf_ref(f"sig_{signal}.npy"))
    ref = load_ref(tf_ref(f"stft_{window}_{signal}.npy"))
    f, t, Z = wst.stft(x, window=reference_window(window), nperseg=256, noverlap=192,
                       boundary=None, padded=False)
    assert Z.shape == ref.shape == (129, 61)
    assert rel_error(Z, ref) <= 1e-10
    assert rel_error(f, load_ref(tf_ref("stft_freqs.npy"))) <= 1e-15
    assert rel_error(t, load_ref(tf_ref("stft_times.npy"))) <= 1e-15


@pytest.mark.parametrize("window", ["hann", "gauss"])
@pytest.mark.parametrize("signal", SIGNALS)
def test_istft_matches_the_reference_files(window, signal):
    Z = load_ref(tf_ref(f"stft_{window}_{signal}.npy"))
    ref = load_ref(tf_ref(f"istft_{window}_{signal}.npy"))
    w = reference_window(window)
    t, x = wst.istft(Z, window=w, nperseg=256, noverlap=192, boundary=False)
    assert x.shape == (4096,)
    # Σ_m w²[n − 64m]: where the inverse divides; Hann's sample 0 is not covered (w[0] = 0).
    w = scipy.signal.get_window("hann", 256) if window == "hann" else w
    energy = np.zeros(4096)
    for m in range(61):
        energy[64 * m:64 * m + 256] += w ** 2
    d = np.abs(x - ref)
    assert d[256:3840].max() <= 1e-12
    assert d[energy > 1e-10].max() <= 3e-12  # the edges divide by Σw² down to Hann's w[1]² ≈ 2e-8
    rest = d[energy <= 1e-10]
    assert rest.size == (1 if window == "hann" else 0)
    assert rest.size == 0 or rest.max() <= 1e-15


# ---- CWT -----------------------------------------------------------------------------------------

def test_frequency_grids():
    f = wst.log_frequencies(0.001, 0.4, 7)
    assert len(f) == 7 and f[0] == 0.4 and f[-1] == 0.001
    f = np.asarray(f)
    np.testing.assert_allclose(f[1:] / f[:-1], (0.001 / 0.4) ** (1 / 6), rtol=1e-14)
    o = np.asarray(wst.octave_frequencies(0.5, 3, 4))
    assert o.shape == (12,) and o[0] == 0.5
    assert rel_error(o, 0.5 * 2.0 ** (-np.arange(12) / 4)) <= 1e-15


@pytest.mark.parametrize("wavelet", ["morlet", "gabor", "mexican_hat"])
def test_cwt_unit_gain_at_the_centre_frequency(wavelet):
    # cos + i·sin at ξ_k (on a DFT bin) comes out as e^{2πiξ_k n} at row k: modulus 1, the
    # tone's phase.
    N = 4096
    freqs = np.array([1600.0, 500.0, 123.0, 40.0]) / N
    n = np.arange(N)
    for k, xi in enumerate(freqs):
        x = np.stack([np.cos(2 * np.pi * xi * n), np.sin(2 * np.pi * xi * n)])
        W = wst.cwt(x, freqs, wavelet=wavelet, boundary="periodic")
        assert W.shape == (2, 4, N) and W.dtype == np.complex128
        w = W[0, k] + 1j * W[1, k]
        assert np.max(np.abs(w - np.exp(2j * np.pi * xi * n))) <= 1e-6, (wavelet, k)


def test_cwt_chirp_ridge_follows_the_instantaneous_frequency():
    # sig_chirp: f(t) = 0.01 + 0.39/4095·t. The ridge is within one voice of f from f = 0.08 on.
    x = load_ref(tf_ref("sig_chirp.npy"))
    Q = 8
    freqs = np.asarray(wst.octave_frequencies(0.5, 7, Q))
    W = wst.cwt(x, freqs, wavelet="morlet", Q=Q, boundary="zeros")
    assert W.shape == (56, 4096)
    n = np.arange(4096)
    f = 0.01 + 0.39 / 4095 * n
    keep = (f >= 0.08) & (n <= 4096 - 200)
    ridge = freqs[np.argmax(np.abs(W), axis=0)]
    assert np.max(np.abs(np.log2(ridge[keep] / f[keep]))) <= 1 / Q


def test_cwt_agrees_with_pywt_cmor_at_mid_scales():
    # pywt 1.1.1's cmor1.5-1.0 is, in Fourier, a Gabor wavelet of ξ = 1/s and ρ = 1/(π√3) with
    # gain √s: the ridges agree within one row where its tabulated kernel is accurate (s in 4..16),
    # and |coef| ≈ √s·|W| to 5 % at s = 6.9 and 12.7 (measured in C++: 4.0 % and 3.3 %).
    x = load_ref(tf_ref("sig_chirp.npy"))
    scales = load_ref(tf_ref("cwt_scales.npy"))
    ref = load_ref(tf_ref("cwt_chirp_cmor1.5-1.0.npy"))
    W = wst.cwt(x, 1.0 / scales, wavelet="gabor", sigma_ratio=1 / (np.pi * np.sqrt(3)),
                boundary="zeros")
    assert W.shape == ref.shape == (64, 4096)
    ours = np.argmax(np.abs(W[:, 300:-300]), axis=0)
    theirs = np.argmax(np.abs(ref[:, 300:-300]) / np.sqrt(scales)[:, None], axis=0)
    mid = (scales[ours] >= 4) & (scales[ours] <= 16)
    assert mid.sum() > 4096 // 4
    assert np.max(np.abs(ours[mid] - theirs[mid])) <= 1
    for k in (16, 24):
        a = np.abs(W[k, 500:-500]) * np.sqrt(scales[k])
        b = np.abs(ref[k, 500:-500])
        assert np.linalg.norm(a - b) / np.linalg.norm(b) < 0.05, scales[k]


def test_cwt_batch_float32_and_threads():
    x = rng().standard_normal((2, 3, 1000))
    freqs = wst.log_frequencies(0.01, 0.45, 12)
    W = wst.cwt(x, freqs)
    assert W.shape == (2, 3, 12, 1000) and W.dtype == np.complex128
    np.testing.assert_array_equal(wst.cwt(x[1, 0], freqs), W[1, 0])
    Wf = wst.cwt(x.astype(np.float32), freqs)
    assert Wf.dtype == np.complex64
    assert rel_error(Wf, W) <= 1e-5
    a = wst.cwt(x, freqs, threads=1)
    b = wst.cwt(x, freqs, threads=2)
    assert a.tobytes() == b.tobytes()
    np.testing.assert_array_equal(wst.cwt(np.asfortranarray(x), freqs), W)


# ---- Heisenberg boxes ----------------------------------------------------------------------------

def heisenberg_case(name):
    n = np.arange(4096.0)
    placed = np.zeros(4096)
    if name.startswith("gaussian_std"):
        s = float(name[len("gaussian_std"):])
        return np.exp(-0.5 * ((n - 2048) / s) ** 2)
    if name == "hann256_periodic":
        placed[1920:2176] = scipy.signal.get_window("hann", 256)
        return placed
    if name == "hann256_symmetric":
        placed[1920:2176] = scipy.signal.windows.hann(256, sym=True)
        return placed
    if name == "gaussian256_std32_truncated":
        placed[1920:2176] = scipy.signal.windows.gaussian(256, std=32)
        return placed
    if name == "morlet_xi0.25_sigma0.02":
        f = np.fft.fftfreq(4096)
        xi, sigma = 0.25, 0.02
        kappa = np.exp(-xi ** 2 / (2 * sigma ** 2))
        psi_hat = (np.exp(-(f - xi) ** 2 / (2 * sigma ** 2))
                   - kappa * np.exp(-f ** 2 / (2 * sigma ** 2)))
        return np.fft.fftshift(np.fft.ifft(psi_hat))
    raise AssertionError(f"unknown case {name}")


def test_heisenberg_matches_every_reference_case():
    cases = read_json(tf_ref("heisenberg.json"))["cases"]
    assert len(cases) == 6
    for name, ref in cases.items():
        box = wst.heisenberg(heisenberg_case(name))
        assert set(box) == {"mu_t", "sigma_t", "mu_omega", "sigma_omega", "product", "sigma_f"}
        for ours, theirs in (("mu_t", "mu_t"), ("sigma_t", "sigma_t"),
                             ("sigma_omega", "sigma_omega"), ("sigma_f", "sigma_f_cycles"),
                             ("product", "product_sigma_t_sigma_omega")):
            assert abs(box[ours] - ref[theirs]) <= 1e-10 * abs(ref[theirs]), (name, ours)
        if abs(ref["mu_omega"]) < 1e-12:
            assert abs(box["mu_omega"]) < 1e-12, name  # real g: a symmetric spectrum
        else:
            assert abs(box["mu_omega"] - ref["mu_omega"]) <= 1e-10 * abs(ref["mu_omega"]), name


def test_heisenberg_of_a_modulated_gaussian():
    n = np.arange(4096.0)
    g = np.exp(-0.5 * ((n - 2048) / 16) ** 2) * np.exp(0.7j * n)
    box = wst.heisenberg(g)
    assert abs(box["product"] - 0.5) <= 1e-6
    assert abs(box["mu_omega"] - 0.7) <= 1e-9
    assert abs(box["mu_t"] - 2048) <= 1e-9
    assert abs(box["sigma_f"] - box["sigma_omega"] / (2 * np.pi)) <= 1e-18
