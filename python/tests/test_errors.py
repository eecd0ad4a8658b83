"""Bad input raises Python exceptions: ValueError for bad parameters, shapes and non-finite values
(with the C++ message, the same text the CLI prints after "wst: error: "), TypeError for
non-numeric dtypes. Nothing crashes and nothing comes back as RuntimeError."""
import os
import subprocess

import numpy as np
import pytest

import wst
from conftest import cli_path


def rng():
    return np.random.default_rng(0)


# ---- the ValueError text is the CLI's ------------------------------------------------------------

def cli_error(args, x, tmp_path):
    """The message the CLI prints after 'wst: error: ' for `wst ARGS in.npy out.npy`."""
    np.save(tmp_path / "in.npy", x)
    env = dict(os.environ, WST_WISDOM_DIR=str(tmp_path))
    run = subprocess.run([str(cli_path()), *args, "--plan", "estimate",
                          str(tmp_path / "in.npy"), str(tmp_path / "out.npy")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode != 0, f"the CLI accepted {args}"
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wst: error: "), run.stderr
    assert not (tmp_path / "out.npy").exists()
    return lines[0][len("wst: error: "):]


def S2(**kwargs):
    return lambda: wst.Scattering2D(**dict(dict(J=2, shape=(28, 28)), **kwargs))


def S1(**kwargs):
    return lambda: wst.Scattering1D(**dict(dict(J=6, shape=512), **kwargs))


CLI_CASES = {
    # name: (Python constructor, CLI arguments, input array shape)
    "2d J=0": (S2(J=0), ["scatter2d", "--J", "0"], (2, 28, 28)),
    "2d L=0": (S2(L=0), ["scatter2d", "--J", "2", "--L", "0"], (2, 28, 28)),
    "2d L=65": (S2(L=65), ["scatter2d", "--J", "2", "--L", "65"], (2, 28, 28)),
    "1d J too large": (S1(J=10), ["scatter1d", "--J", "10"], (2, 512)),
    "1d J=31": (S1(J=31), ["scatter1d", "--J", "31"], (2, 512)),
    "1d Q=0": (S1(Q=0), ["scatter1d", "--J", "6", "--Q", "0"], (2, 512)),
    "1d Q2=200": (S1(Q=(8, 200)), ["scatter1d", "--J", "6", "--Q", "8", "--Q2", "200"], (2, 512)),
    "1d T too large": (S1(T=1000), ["scatter1d", "--J", "6", "--T", "1000"], (2, 512)),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_value_error_text_equals_the_cli_message(case, tmp_path):
    make, args, shape = CLI_CASES[case]
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == cli_error(args, np.zeros(shape), tmp_path)


def test_kymatio_typed_errors_end_with_the_cli_message(tmp_path):
    # Where Kymatio raises RuntimeError, the message is Kymatio's sentence, then the CLI's.
    with pytest.raises(RuntimeError) as info:
        wst.Scattering2D(J=5, shape=(28, 28))
    cli = cli_error(["scatter2d", "--J", "5"], np.zeros((2, 28, 28)), tmp_path)
    assert str(info.value) == f"The smallest dimension should be larger than 2^J. ({cli})"
    assert isinstance(info.value, ValueError)


def test_the_2d_J_message_names_the_rule():
    with pytest.raises(ValueError) as info:
        wst.Scattering2D(J=5, shape=(28, 28))
    msg = str(info.value)
    assert "J=5" in msg and "2^J=32" in msg and "28" in msg


# ---- shapes --------------------------------------------------------------------------------------

def test_wrong_2d_input_shape_names_expected_and_got():
    S = wst.Scattering2D(J=2, shape=(28, 28))
    with pytest.raises(ValueError) as info:
        S(np.zeros((2, 28, 27)))
    msg = str(info.value)
    assert "(2, 28, 27)" in msg and "28, 28" in msg
    with pytest.raises(ValueError):
        S(np.zeros((2, 27, 28), np.float32))
    with pytest.raises(ValueError):
        S(np.zeros(28 * 28))  # flat: one axis only
    with pytest.raises(ValueError):
        S(np.zeros((28, 28, 1)))


def test_wrong_1d_input_shape_names_expected_and_got():
    S = wst.Scattering1D(J=4, shape=256)
    with pytest.raises(ValueError) as info:
        S(np.zeros((3, 255)))
    msg = str(info.value)
    assert "(3, 255)" in msg and "256" in msg
    with pytest.raises(ValueError):
        S(np.zeros((256, 2)))
    with pytest.raises(ValueError):
        S(np.float64(1.0))  # zero-dimensional


def test_bad_shape_arguments():
    with pytest.raises(ValueError):
        wst.Scattering2D(J=2, shape=(28,))
    with pytest.raises(ValueError):
        wst.Scattering2D(J=2, shape=(28, 28, 28))
    with pytest.raises(ValueError):
        wst.Scattering1D(J=2, shape=(64, 64))
    with pytest.raises(ValueError):
        wst.Scattering2D(J=1, shape=(0, 28))
    with pytest.raises(ValueError):
        wst.Scattering1D(J=1, shape=0)


# ---- dtypes --------------------------------------------------------------------------------------

def bad_dtype_inputs(shape):
    n = int(np.prod(shape))
    return {
        "str": np.array(["1.0"] * n).reshape(shape),
        "bytes": np.array([b"1"] * n).reshape(shape),
        "object": np.ones(shape, dtype=object),
        "complex128": np.ones(shape, dtype=np.complex128),
        "complex64 with zero imaginary part": np.ones(shape, dtype=np.complex64),
        "datetime": np.zeros(shape, dtype="datetime64[s]"),
        "structured": np.zeros(shape, dtype=[("a", "f8")]),
    }


BAD_DTYPES = sorted(bad_dtype_inputs((1,)))


@pytest.mark.parametrize("dtype", BAD_DTYPES)
@pytest.mark.parametrize("kind", ["1d", "2d"])
def test_non_numeric_dtypes_raise_type_error(kind, dtype):
    S = wst.Scattering1D(J=3, shape=64) if kind == "1d" else wst.Scattering2D(J=2, shape=(8, 8))
    x = bad_dtype_inputs((2, 64) if kind == "1d" else (2, 8, 8))[dtype]
    with pytest.raises(TypeError):
        S(x)
    with pytest.raises(TypeError):
        S.scattering(x)


def test_lists_of_strings_raise_type_error():
    with pytest.raises(TypeError):
        wst.Scattering1D(J=3, shape=64)(["a"] * 64)
    with pytest.raises(TypeError):
        wst.Scattering2D(J=2, shape=(8, 8))([["a"] * 8] * 8)


# ---- non-finite values ---------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_non_finite_values_raise_value_error(bad, dtype):
    x2 = rng().standard_normal((3, 16, 16)).astype(dtype)
    x2[2, 5, 7] = bad
    word = "NaN" if np.isnan(bad) else "Inf"
    with pytest.raises(ValueError, match=word):
        wst.Scattering2D(J=2, shape=(16, 16))(x2)
    x1 = rng().standard_normal((2, 128)).astype(dtype)
    x1[1, 100] = bad
    with pytest.raises(ValueError, match=word):
        wst.Scattering1D(J=3, shape=128)(x1)
    with pytest.raises(ValueError, match=word):  # also through a non-contiguous view
        wst.Scattering1D(J=3, shape=128)(np.asfortranarray(x1))
    with pytest.raises(ValueError, match=word):
        wst.Scattering1D(J=3, shape=128, out_type="list")(x1)


# ---- bad parameters ------------------------------------------------------------------------------

# As Kymatio, max_order below 2 means 1 and above 2 means 2, and out_type is checked when the
# transform is called (python/tests/test_kymatio_numpy_2d.py).
BAD_2D = {
    "J=0": dict(J=0), "J=-1": dict(J=-1), "L=0": dict(L=0), "L=65": dict(L=65),
    "L=2.5": dict(L=2.5), "shape=(28,)": dict(shape=(28,)), "pre_pad='yes'": dict(pre_pad="yes"),
    "threads=0": dict(threads=0), "threads=-2": dict(threads=-2),
    "planning='fast'": dict(planning="fast"), "backend='torch'": dict(backend="torch"),
}

# T=0, T='global', stride, oversampling and out_type='dict' are Kymatio's options
# (python/tests/test_scattering_1d_options.py); a stride or out_type is checked when called.
BAD_1D = {
    "J=0": dict(J=0), "J=10": dict(J=10),
    "Q=0": dict(Q=0), "Q=(8, 0)": dict(Q=(8, 0)), "Q=129": dict(Q=129),
    "Q=(1, 2, 3)": dict(Q=(1, 2, 3)), "Q=[8]": dict(Q=[8]),
    "T=0.5": dict(T=0.5), "T='local'": dict(T="local"), "T=513": dict(T=513),
    "oversampling=-1": dict(oversampling=-1), "oversampling=1.5": dict(oversampling=1.5),
    "max_order=0": dict(max_order=0), "max_order=4": dict(max_order=4),
    "threads=0": dict(threads=0), "planning='fast'": dict(planning="fast"),
    "backend='torch'": dict(backend="torch"),
}


@pytest.mark.parametrize("case", sorted(BAD_2D))
def test_bad_2d_parameters_raise_value_error(case):
    kwargs = dict(J=2, shape=(28, 28))
    kwargs.update(BAD_2D[case])
    with pytest.raises(ValueError):
        wst.Scattering2D(**kwargs)


@pytest.mark.parametrize("case", sorted(BAD_1D))
def test_bad_1d_parameters_raise_value_error(case):
    kwargs = dict(J=6, shape=512)
    kwargs.update(BAD_1D[case])
    with pytest.raises(ValueError):
        wst.Scattering1D(**kwargs)


def test_messages_name_the_argument_and_the_choices():
    with pytest.raises(ValueError, match="out_type") as info:
        wst.Scattering2D(J=2, shape=(28, 28), out_type="dict")(np.zeros((28, 28)))
    assert "'array'" in str(info.value) and "'list'" in str(info.value)
    with pytest.raises(ValueError, match="threads"):
        wst.Scattering1D(J=6, shape=512, threads=0)
    with pytest.raises(ValueError, match=r"T must be ==0 or >=1 \(got 0.5\)"):
        wst.Scattering1D(J=6, shape=512, T=0.5)
    with pytest.raises(ValueError, match="pre_pad"):
        wst.Scattering2D(J=2, shape=(28, 28), pre_pad="yes")
    with pytest.raises(ValueError, match="oversampling must be nonnegative"):
        wst.Scattering1D(J=6, shape=512, oversampling=-1)
    with pytest.raises(ValueError, match=r"stride must be a power of two. Got: 12"):
        wst.Scattering1D(J=6, shape=512, stride=12)(np.zeros(512))


# ---- time–frequency ------------------------------------------------------------------------------

def test_bad_stft_and_istft_arguments():
    x = rng().standard_normal(1000)
    for kwargs in (dict(noverlap=256), dict(noverlap=300), dict(window="no-such-window"),
                   dict(boundary="even"), dict(boundary=None, padded=True), dict(scaling="bogus"),
                   dict(nfft=100), dict(nperseg=0)):
        with pytest.raises(ValueError):
            wst.stft(x, **kwargs)
    for bad in (np.nan, np.inf):
        y = x.copy()
        y[10] = bad
        with pytest.raises(ValueError):
            wst.stft(y)
    with pytest.raises(TypeError):
        wst.stft(np.array(["a"] * 1000))
    _, _, Z = wst.stft(x)
    with pytest.raises(ValueError):
        wst.istft(Z[:, 0])  # one axis: no frames
    with pytest.raises(ValueError):
        wst.istft(Z, noverlap=256)
    Z = Z.copy()
    Z[3, 2] = np.nan
    with pytest.raises(ValueError):
        wst.istft(Z)


def test_bad_cwt_arguments():
    x = rng().standard_normal(500)
    with pytest.raises(ValueError, match="mexican_hat"):
        wst.cwt(x, [0.1], wavelet="haar")
    for freqs in ([0.6], [0.0], [-0.1], [], [0.1, np.nan]):
        with pytest.raises(ValueError):
            wst.cwt(x, freqs)
    with pytest.raises(ValueError):
        wst.cwt(x, [0.1], sigma_ratio=-1.0)
    with pytest.raises(ValueError):
        wst.cwt(x, [0.1], boundary="reflect")
    with pytest.raises(ValueError):
        wst.cwt(x, [0.1], threads=0)
    y = x.copy()
    y[42] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        wst.cwt(y, [0.1])
    with pytest.raises(TypeError):
        wst.cwt(x.astype(object), [0.1])
    with pytest.raises(ValueError, match="f_hi"):
        wst.log_frequencies(0.1, 0.6, 3)
    with pytest.raises(ValueError, match="Q"):
        wst.octave_frequencies(0.5, 3, 0)


def test_bad_heisenberg_arguments():
    with pytest.raises(ValueError, match="empty"):
        wst.heisenberg(np.zeros(0))
    with pytest.raises(ValueError, match="identically zero"):
        wst.heisenberg(np.zeros(16))
    g = np.ones(16, dtype=complex)
    g[9] = np.nan
    with pytest.raises(ValueError, match="index 9"):
        wst.heisenberg(g)
    with pytest.raises(ValueError):
        wst.heisenberg(np.ones((4, 4)))  # not 1-D
    with pytest.raises(TypeError):
        wst.heisenberg(np.array(["a", "b"]))


def test_argument_messages_use_the_cli_wording():
    # The CLI says "--threads: must be an integer >= 1, got '0'" for the same mistake.
    with pytest.raises(ValueError) as info:
        wst.Scattering2D(J=2, shape=(28, 28), threads=0)
    assert str(info.value) == "threads: must be an integer >= 1, got 0"
    with pytest.raises(ValueError) as info:
        wst.Scattering1D(J=6, shape=512, planning="patient")
    assert str(info.value) == "planning='patient' is not supported: choose 'estimate' or 'measure'"
