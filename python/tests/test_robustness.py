"""Any valid NumPy array is accepted (copied when it cannot be used in place), integers beyond
the C++ ranges raise ValueError, and Ctrl-C stops a long transform promptly."""
import os
import signal
import threading
import time

import numpy as np
import pytest

import wst


def reference_1d(x):
    return wst.Scattering1D(3, (64,))(np.ascontiguousarray(x, dtype=np.float64))


# ---- arrays that need a copy ---------------------------------------------------------------------

def unaligned(x):
    buf = bytearray(x.nbytes + 1)
    a = np.frombuffer(buf, dtype=x.dtype, offset=1).reshape(x.shape)
    a[...] = x
    assert not a.flags.aligned
    return a


@pytest.mark.parametrize("make, dtype", [
    (unaligned, np.float64),
    (lambda x: unaligned(x.astype(np.float32)), np.float32),
    (lambda x: x.astype('>f8'), np.float64),
    (lambda x: x.astype('>f4'), np.float32),
    (lambda x: x.astype('=f4'), np.float32),
    (lambda x: x.astype(np.longdouble), np.float64),
    (lambda x: np.repeat(x, 2, axis=-1)[..., ::2], np.float64),
    (lambda x: np.asfortranarray(x), np.float64),
])
def test_arrays_needing_a_copy_are_accepted(make, dtype):
    x = np.random.default_rng(0).standard_normal((3, 64))
    a = make(x)
    out = wst.Scattering1D(3, (64,))(a)
    assert out.dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, reference_1d(a), rtol=tol, atol=tol)


def test_unaligned_2d_and_stft():
    x = np.random.default_rng(1).standard_normal((16, 16))
    S = wst.Scattering2D(2, (16, 16))
    np.testing.assert_array_equal(S(unaligned(x)), S(x))
    z = x[0] + 1j * x[1]
    np.testing.assert_array_equal(wst.stft(unaligned(x[0]), nperseg=8)[2],
                                  wst.stft(x[0], nperseg=8)[2])
    np.testing.assert_array_equal(wst.stft(unaligned(z), nperseg=8, return_onesided=False)[2],
                                  wst.stft(z, nperseg=8, return_onesided=False)[2])


# ---- integers beyond the C++ ranges --------------------------------------------------------------

@pytest.mark.parametrize("make, name", [
    (lambda: wst.Scattering1D(2**70, (64,)), "J"),
    (lambda: wst.Scattering1D(3, (2**70,)), "shape"),
    (lambda: wst.Scattering1D(3, (64,), Q=2**70), "Q"),
    (lambda: wst.Scattering1D(3, (64,), Q=(1, -2**40)), "Q"),
    (lambda: wst.Scattering1D(3, (64,), T=2**70), "T"),
    (lambda: wst.Scattering1D(3, (64,), max_order=2**40), "max_order"),
    (lambda: wst.Scattering1D(3, (64,), threads=2**40), "threads"),
    (lambda: wst.Scattering2D(2**70, (16, 16)), "J"),
    (lambda: wst.Scattering2D(2, (2**70, 16)), "shape"),
    (lambda: wst.Scattering2D(2, (16, 16), L=2**40), "L"),
    (lambda: wst.stft(np.zeros(64), nperseg=2**70), "nperseg"),
    (lambda: wst.stft(np.zeros(64), nperseg=8, nfft=2**70), "nfft"),
    (lambda: wst.octave_frequencies(0.4, 2**40, 4), "octaves"),
    (lambda: wst.log_frequencies(0.1, 0.4, 2**70), "count"),
])
def test_huge_integers_raise_value_error(make, name):
    with pytest.raises(ValueError, match=rf"{name}.*must be an integer .*\[") as info:
        make()
    assert "incompatible" not in str(info.value)


# ---- Ctrl-C --------------------------------------------------------------------------------------

def test_ctrl_c_stops_a_long_transform():
    S = wst.Scattering2D(3, (256, 256), threads=2)
    small = np.random.default_rng(2).standard_normal((2, 256, 256))
    expected = S(small)
    x = np.random.default_rng(3).standard_normal((64, 256, 256))  # a few seconds
    threads_before = threading.active_count()
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(0.3, interrupt)
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        S(x)
        time.sleep(5)  # not reached unless the transform ignored the signal
    caught = time.monotonic()
    timer.join()
    assert sent, "the transform finished before the signal was sent"
    assert caught - sent[0] < 1.0, f"took {caught - sent[0]:.2f} s after SIGINT"
    assert caught - start < 2.0
    assert threading.active_count() == threads_before
    np.testing.assert_array_equal(S(small), expected)


# ---- complex STFT paths run in blocks, and errors count from the whole input ---------------------

def test_complex_stft_and_istft_in_blocks_equal_one_by_one():
    rng = np.random.default_rng(4)
    z = rng.standard_normal((5, 3, 256)) + 1j * rng.standard_normal((5, 3, 256))
    _, _, Z = wst.stft(z, nperseg=32, return_onesided=False)
    for i in range(5):
        for j in range(3):
            np.testing.assert_array_equal(Z[i, j], wst.stft(z[i, j], nperseg=32,
                                                            return_onesided=False)[2])
    _, back = wst.istft(Z, nperseg=32, input_onesided=False)
    np.testing.assert_allclose(back[..., :256], z, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("run", [
    lambda x: wst.Scattering1D(3, (128,))(x),
    lambda x: wst.stft(x, nperseg=16),
    lambda x: wst.stft(x + 0j, nperseg=16, return_onesided=False),
])
def test_non_finite_input_is_named_by_its_index_in_the_whole_batch(run):
    x = np.random.default_rng(5).standard_normal((40, 128))
    x[37, 5] = np.nan  # in a later block than the first
    with pytest.raises(ValueError, match=rf"NaN at flat index {37 * 128 + 5}\b"):
        run(x)


# ---- range (docs/architecture.md, "Range") -------------------------------------------------------

def test_float32_far_from_unit_scale_is_exact_or_raises():
    # 2^100 ≈ 1.3e30: the float32 modulus squares (1e60) overflowed to Inf before.
    x = np.random.default_rng(4).uniform(0.125, 1.0, (2, 64)).astype(np.float32)
    big = np.ldexp(x, 100)
    S = wst.Scattering1D(3, (64,))
    unit, scaled = S(x), S(big)
    assert scaled.dtype == np.float32 and np.all(np.isfinite(scaled))
    np.testing.assert_allclose(scaled, np.ldexp(unit, 100), rtol=1e-6)
    _, _, Z1 = wst.stft(x, nperseg=16)
    _, _, Z2 = wst.stft(big, nperseg=16)
    assert np.all(np.isfinite(Z2))
    np.testing.assert_allclose(Z2, Z1 * np.float32(2.0**100), rtol=1e-6)
    # A result that does not fit float32 (Σ w·x = 8·3e38 at DC) raises instead of giving Inf.
    with pytest.raises(ValueError, match="overflows the range of float32"):
        wst.stft(np.full(64, 3e38, dtype=np.float32), nperseg=16, scaling=None)
