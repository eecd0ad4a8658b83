"""wst.Scattering1D's Kymatio options (docs/scattering-options.md §1): T = None / 'global' / 0 /
a number, stride, the deprecated oversampling, out_type 'array' / 'list' / 'dict', Kymatio's
attributes and errors. Parity with every 1D case of shared/reference/kymatio/v04-more."""
import json
import pickle
import re
import warnings

import numpy as np
import pytest

import wst
from conftest import kymatio_ref, load_ref, per_channel_error, rel_error


def more(name):
    return load_ref(kymatio_ref(f"v04-more/s1d_Q8_J6_N2048_{name}.npy"))


def rng():
    return np.random.default_rng(0)


def check_input():
    """../shared/docs/scattering-options.md §1.10: x[n] = ((37·n) mod 101)/50 − 1, n < 1024."""
    return ((37 * np.arange(1024)) % 101) / 50 - 1


def quietly(**kwargs):
    """Scattering1D(**kwargs), ignoring the DeprecationWarning of oversampling."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return wst.Scattering1D(**kwargs)


# ---- parity with Kymatio 0.4 (v04-more) ----------------------------------------------------------

@pytest.mark.parametrize("name, kwargs, length", [
    ("Tglobal", dict(T="global"), 1),
    ("T16", dict(T=16), 128),
    ("stride16", dict(stride=16), 128),
])
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-6), (np.float32, 1e-4)])
def test_array_parity(name, kwargs, length, dtype, tol):
    x, ref = more("x"), more(f"{name}_S")
    assert ref.shape == (2, 126, length)
    S = wst.Scattering1D(J=6, shape=2048, Q=8, **kwargs)
    out = S(x.astype(dtype))
    assert out.shape == ref.shape and out.dtype == dtype
    assert rel_error(out, ref) <= tol
    assert per_channel_error(out, ref, 1) <= tol


def list_entries():
    index = json.loads(kymatio_ref("v04-more/index.json").read_text())
    found = {}
    for entry in index:
        m = re.search(r"T=0, out_type='list' entry (\d+): n=\[([\d, ]*)\], j=\[([\d, ]*)\]",
                      entry["what"])
        if m:
            as_tuple = lambda s: tuple(int(v) for v in s.split(",") if v.strip())  # noqa: E731
            found[int(m[1])] = (entry["file"], as_tuple(m[2]), as_tuple(m[3]))
    return found


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-6), (np.float32, 1e-4)])
def test_T0_list_parity_every_entry(dtype, tol):
    x = more("x").astype(dtype)
    entries = list_entries()
    out = wst.Scattering1D(J=6, shape=2048, Q=8, T=0, out_type="list")(x)
    assert len(entries) == len(out) == 126
    for k, path in enumerate(out):
        file, n, j = entries[k]
        ref = load_ref(kymatio_ref(f"v04-more/{file}"))
        assert set(path) == {"coef", "j", "n", "order"} and list(path)[0] == "coef"
        assert (path["n"], path["j"], path["order"]) == (n, j, len(n)), k
        assert path["coef"].shape == ref.shape and path["coef"].dtype == dtype, k
        assert rel_error(path["coef"], ref) <= tol, k
    np.testing.assert_array_equal(out[0]["coef"], x)  # order 0 is the input itself


def test_dict_keys_are_kymatios_depth_first_order():
    keys = [str(k) for k in more("dict_keys")]
    x = more("x")
    for T in (0, "global", None):
        d = wst.Scattering1D(J=6, shape=2048, Q=8, T=T, out_type="dict")(x)
        assert [str(k) for k in d] == keys
        assert all(type(k) is tuple for k in d)
    listed = wst.Scattering1D(J=6, shape=2048, Q=8, T=0, out_type="list")(x)
    d = wst.Scattering1D(J=6, shape=2048, Q=8, T=0, out_type="dict")(x)
    for path in listed:
        np.testing.assert_array_equal(d[path["n"]], path["coef"])


# ---- check values (../shared/docs/scattering-options.md §1.10) ------------------------------------

def test_check_values():
    x = check_input()
    cases = [
        (dict(T="global"), 0, {0: -2.4, 1: 122.2436996, 10: 111.5717639, 38: 0.07903359312,
                               39: 6.981831336, 125: 0.02553787785}),
        (dict(T=16), 32, {0: -0.003504907221, 1: 0.06083504282, 39: 0.006199502381,
                          125: 4.649460413e-06}),
        (dict(stride=16), 32, {1: 0.06009898014, 39: 0.006674618136, 125: 1.456805135e-05}),
        (dict(T=48), 16, {1: 0.0600990239, 39: 0.006674389036, 125: 8.402762219e-06}),
    ]
    for kwargs, t, values in cases:
        S = wst.Scattering1D(J=6, shape=1024, Q=8, **kwargs)
        assert (S.pad_left, S.pad_right) == (512, 512)
        out = S(x)
        assert out.shape == (126, {0: 1, 32: 64, 16: 32}[t])
        for c, v in values.items():
            assert out[c, t] == pytest.approx(v, rel=2e-9), (kwargs, c)
    out = wst.Scattering1D(J=6, shape=1024, Q=8, T=0, out_type="list")(x)
    for k, n, j, length, t, v in [(1, (0,), (0,), 1024, 500, 0.03181579367),
                                  (37, (36,), (4,), 64, 16, 0.006296297426),
                                  (39, (0, 3), (0, 1), 512, 256, 0.00448819696),
                                  (125, (32, 6), (3, 4), 64, 32, 4.194417249e-06)]:
        assert (out[k]["n"], out[k]["j"], out[k]["coef"].shape) == (n, j, (length,))
        assert out[k]["coef"][t] == pytest.approx(v, rel=2e-9)


# ---- formats -------------------------------------------------------------------------------------

@pytest.mark.parametrize("T", [None, "global", 16])
def test_list_and_dict_hold_the_array_channels(T):
    x = rng().standard_normal((2, 3, 512)).astype(np.float32)
    arr = wst.Scattering1D(J=5, shape=512, Q=4, T=T)(x)
    lst = wst.Scattering1D(J=5, shape=512, Q=4, T=T, out_type="list")(x)
    d = wst.Scattering1D(J=5, shape=512, Q=4, T=T, out_type="dict")(x)
    assert len(lst) == len(d) == arr.shape[-2]
    assert [p["n"] for p in lst] == sorted((p["n"] for p in lst), key=lambda n: (len(n), n))
    for c, path in enumerate(lst):
        assert path["coef"].dtype == np.float32 and path["coef"].shape == (2, 3, arr.shape[-1])
        np.testing.assert_array_equal(path["coef"], arr[..., c, :])
        np.testing.assert_array_equal(d[path["n"]], arr[..., c, :])


def test_T0_keeps_the_batch_shape_and_lengths_follow_j():
    x = rng().standard_normal((2, 3, 1024))
    S = wst.Scattering1D(J=6, shape=1024, Q=8, T=0, out_type="list")
    out = S(x)
    np.testing.assert_array_equal(out[0]["coef"], x)
    for path in out[1:]:
        assert path["coef"].shape == (2, 3, 1024 >> path["j"][-1])
    one = S(x[0, 0])  # a 1-D input gives (len,)
    assert one[39]["coef"].shape == (512,)
    np.testing.assert_array_equal(one[39]["coef"], out[39]["coef"][0, 0])
    x32 = x.astype(np.float32)
    out32 = S(x32)
    assert all(p["coef"].dtype == np.float32 for p in out32)
    np.testing.assert_array_equal(out32[0]["coef"], x32)


def test_every_mode_is_bit_identical_for_any_thread_count():
    x = rng().standard_normal((5, 512))
    for T in (0, "global", 24.5):
        a = wst.Scattering1D(J=5, shape=512, Q=8, T=T, out_type="list", threads=1)(x)
        b = wst.Scattering1D(J=5, shape=512, Q=8, T=T, out_type="list", threads=3)(x)
        for p, q in zip(a, b):
            np.testing.assert_array_equal(p["coef"], q["coef"])


def test_stride_and_non_integer_T():
    x = rng().standard_normal((2, 1024))
    full = wst.Scattering1D(J=6, shape=1024, Q=8, stride=1)(x)
    assert full.shape == (2, 126, 1024)
    S = wst.Scattering1D(J=6, shape=1024, Q=8, T=24.5)
    assert (S.T, S.log2_T, S.stride, S.average) == (24.5, 4, 16, "local")
    assert S.phi_f["sigma"] == 0.1 / 24.5 and S(x).shape == (2, 126, 64)
    # Explicit default stride: the same transform, bit for bit.
    np.testing.assert_array_equal(wst.Scattering1D(J=6, shape=1024, Q=8, T=16, stride=16)(x),
                                  wst.Scattering1D(J=6, shape=1024, Q=8, T=16)(x))


# ---- attributes (docs/scattering-options.md §1.10, Kymatio's example J=6, shape=1024, Q=8) -------

def test_attributes_of_kymatios_example():
    S = wst.Scattering1D(J=6, shape=1024, Q=8)
    assert (S.J, S.shape, S.Q, S.T, S.average, S.log2_T) == (6, (1024,), (8, 1), 64, "local", 6)
    assert (S.stride, S.log2_stride, S.max_order, S.out_type) == (64, 6, 2, "array")
    assert (S.r_psi, S.sigma0, S.alpha) == (np.sqrt(0.5), 0.1, 5.0)
    assert (S.pad_left, S.pad_right, S._N_padded) == (512, 512, 2048)
    assert S.ind_start == {0: 512, 1: 256, 2: 128, 3: 64, 4: 32, 5: 16, 6: 8}
    assert S.ind_end == {0: 1536, 1: 768, 2: 384, 3: 192, 4: 96, 5: 48, 6: 24}
    assert S.frontend_name == "numpy" and S.backend == "numpy"
    assert S.output_size() == 126 and S.output_size(detail=True) == (1, 38, 87)
    with pytest.warns(DeprecationWarning, match=re.escape(
            "The attribute oversampling is deprecated and will be removed in v0.5. Pass stride = "
            "2**(J-oversampling) or stride = 2**(log2(T)-oversampling) to retain current "
            "behavior.")):
        assert S.oversampling == 0
    meta = S.meta()
    assert set(meta) == {"order", "key", "n", "j", "xi", "sigma"}
    assert meta["key"][:3] == [(), (0,), (1,)] and meta["key"][38 + 1] == (0, 3)


def test_filter_attributes():
    S = wst.Scattering1D(J=6, shape=1024, Q=8)
    phi = S.phi_f
    assert list(phi) == ["levels", "xi", "sigma", "j", "N"]
    assert [len(v) for v in phi["levels"]] == [2048, 1024, 512, 256, 128, 64, 32]
    assert (phi["xi"], phi["sigma"], phi["j"], phi["N"]) == (0, 0.0015625, 6, 2048)
    full = S.filters()
    np.testing.assert_array_equal(phi["levels"][0], full["phi"])
    for r, level in enumerate(phi["levels"]):  # the sum of the 2^r aliases (formulas §1.7)
        assert level.dtype == np.float64
        np.testing.assert_allclose(level, full["phi"].reshape(2 ** r, -1).sum(axis=0),
                                   rtol=0, atol=1e-15)
    psi1, psi2 = S.psi1_f, S.psi2_f
    assert len(psi1) == 38 and all(list(p) == ["levels", "xi", "sigma", "j"] for p in psi1)
    assert all(len(p["levels"]) == 1 and p["levels"][0].shape == (2048,) for p in psi1)
    assert (psi1[0]["xi"], psi1[0]["sigma"], psi1[0]["j"]) == \
        (0.43538086845249563, 0.022640734810166447, 0)
    assert (psi1[37]["xi"], psi1[37]["sigma"], psi1[37]["j"]) == (0.004044984582029461, 0.0015625, 5)
    assert [p["j"] for p in psi2] == [0, 0, 0, 1, 2, 3, 4]
    assert [len(p["levels"]) for p in psi2] == [1, 1, 1, 1, 2, 3, 4]
    for k, p in enumerate(psi2):
        assert p["xi"] == pytest.approx(0.35 * 2.0 ** -k, rel=1e-15)
        assert p["sigma"] == pytest.approx(0.14013094769175247 * 2.0 ** -k, rel=1e-15)
        np.testing.assert_array_equal(p["levels"][0], full["psi2"][k])
    generator, kwargs = S.filterbank
    assert kwargs == {"alpha": 5.0, "r_psi": np.sqrt(0.5), "sigma0": 0.1}
    assert list(generator(6, 8, **kwargs)) == [(p["xi"], p["sigma"]) for p in psi1]
    assert list(generator(6, 1, **kwargs)) == [(p["xi"], p["sigma"]) for p in psi2]


@pytest.mark.parametrize("T, average, parsed, log2_T", [
    (None, "local", 64, 6), ("global", "global", 64, 6), (0, False, 64, 6), (48, "local", 48, 5),
    (48.5, "local", 48.5, 5), (1, "local", 1, 0),
])
def test_averaging_attributes(T, average, parsed, log2_T):
    S = wst.Scattering1D(J=6, shape=1024, Q=8, T=T, out_type="list")
    assert (S.average, S.T, S.log2_T, S.stride, S.log2_stride) == \
        (average, parsed, log2_T, 2 ** log2_T, log2_T)
    if parsed >= 16:  # the shared check values: N = 2048, pads 512/512 for T = 16 … 64
        assert (S.pad_left, S.pad_right, S._N_padded) == (512, 512, 2048)


# ---- the deprecated oversampling (docs/scattering-options.md §1.2) --------------------------------

ARGUMENT_WARNING = re.escape("oversampling is deprecated in and will be removed in v0.5.Pass stride "
                             "= 2**(J-oversampling) or stride = 2**(log2(T)-oversampling) to "
                             "retain current behavior.")


def test_oversampling_is_a_stride():
    x = rng().standard_normal((2, 1024))
    with pytest.warns(DeprecationWarning, match=ARGUMENT_WARNING):
        S = wst.Scattering1D(J=6, shape=1024, Q=8, oversampling=2)
    assert (S.stride, S.log2_stride) == (16, 4)
    np.testing.assert_array_equal(S(x), wst.Scattering1D(J=6, shape=1024, Q=8, stride=16)(x))
    # Off by one: a passed stride must be 2**(log2_T - k - 1), and is then replaced.
    assert quietly(J=6, shape=1024, Q=8, oversampling=2, stride=8).stride == 16
    with pytest.raises(ValueError, match=re.escape("oversampling=2 and stride=16are incompatible")):
        quietly(J=6, shape=1024, Q=8, oversampling=2, stride=16)
    assert quietly(J=6, shape=1024, Q=8, T=16, oversampling=1).stride == 8
    # log2_T - k < 0: a fractional stride, refused when called.
    S = quietly(J=6, shape=1024, Q=8, oversampling=7)
    with pytest.raises(ValueError, match=re.escape("stride must be integer. Got: 0.5")):
        S(x)
    with pytest.raises(ValueError, match=re.escape("stride=16 is incompatible with T=global.")):
        quietly(J=6, shape=1024, Q=8, T="global", oversampling=2)(x)
    # None skips the checks: local averaging as oversampling=0; the other modes fail when called.
    np.testing.assert_array_equal(wst.Scattering1D(J=6, shape=1024, Q=8, oversampling=None)(x),
                                  wst.Scattering1D(J=6, shape=1024, Q=8)(x))
    with pytest.raises(TypeError, match=re.escape(
            "unsupported operand type(s) for -: 'int' and 'NoneType'")):
        wst.Scattering1D(J=6, shape=1024, Q=8, T=0, oversampling=None, out_type="list")(x)


def test_pickle_equality_and_hash_with_the_new_options():
    x = rng().standard_normal((2, 512))
    for kwargs in (dict(T=0, out_type="dict"), dict(T="global"), dict(T=24.5, stride=4),
                   dict(oversampling=1)):
        S = quietly(J=5, shape=512, Q=8, **kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # unpickling does not warn again
            R = pickle.loads(pickle.dumps(S))
        assert R == S and hash(R) == hash(S)
        a, b = S(x), R(x)
        if isinstance(a, dict):
            assert list(a) == list(b)
            a, b = np.concatenate(list(a.values()), axis=-1), np.concatenate(list(b.values()), axis=-1)
        np.testing.assert_array_equal(a, b)
    assert wst.Scattering1D(J=5, shape=512, T=0) != wst.Scattering1D(J=5, shape=512, T="global")


# ---- errors (docs/scattering-options.md §1.11): Kymatio's type, Kymatio's sentence first ----------

def raises(kind, message, make):
    with pytest.raises(kind, match=re.escape(message)) as info:
        make()
    assert str(info.value).startswith(message)
    return info.value


CONSTRUCTOR_ERRORS = [
    (ValueError, "If shape is specified as a tuple, it must have exactly one element. Got: "
     "(64, 64)", dict(shape=(64, 64))),
    (ValueError, "shape must be an integer or a 1-tuple. Got: [1024]", dict(shape=[1024])),
    (ValueError, "shape must be an integer or a 1-tuple. Got: 1024.0", dict(shape=1024.0)),
    (ValueError, "oversampling must be nonnegative. Got: -1", dict(oversampling=-1)),
    (ValueError, "oversampling must be integer. Got: 1.5", dict(oversampling=1.5)),
    (ValueError, "The support T of the low-pass filter cannot exceed input length (got 2048 > "
     "1024). For large averaging size, consider passing T='global'.", dict(T=2048)),
    (ValueError, "T must be ==0 or >=1 (got 0.5)", dict(T=0.5)),
    (ValueError, "T must be ==0 or >=1 (got -3)", dict(T=-3)),
    (TypeError, "'>' not supported between instances of 'str' and 'int'", dict(T="local")),
    (ValueError, "Q must always be >= 1, got 0", dict(Q=0)),
    (ValueError, "Q must always be >= 1, got (8, 0)", dict(Q=(8, 0))),
    (NotImplementedError, "Q must be an integer, 1-tuple or 2-tuple. Scattering transforms beyond "
     "order 2 are not implemented. Got: (1, 1, 1)", dict(Q=(1, 1, 1))),
    (ValueError, "Q must be an integer or a tuple", dict(Q=8.0)),
    (ValueError, "Q must be an integer or a tuple", dict(Q=[8, 1])),
    (AssertionError, "Q=(1, 8): the banks do not decrease in frequency", dict(Q=(1, 8))),
    (AssertionError, "Q=(2, 4): the banks do not decrease in frequency", dict(Q=(2, 4))),
    (IndexError, "list index out of range", dict(max_order=0)),
    (ImportError, "The backend torch can not be called from the frontend numpy.",
     dict(backend="torch")),
]


@pytest.mark.parametrize("kind, message, kwargs", CONSTRUCTOR_ERRORS,
                         ids=[repr(c[2]) for c in CONSTRUCTOR_ERRORS])
def test_constructor_errors(kind, message, kwargs):
    error = raises(kind, message, lambda: wst.Scattering1D(**dict(dict(J=6, shape=1024, Q=8),
                                                                  **kwargs)))
    assert isinstance(error, ValueError)  # wst's convention: every bad argument is a ValueError


def test_messages_go_on_with_the_argument_and_its_range():
    error = raises(ValueError, "The support T", lambda: wst.Scattering1D(6, 1024, T=2048))
    assert str(error).endswith("(T=2048 is out of range: the averaging scale must be in "
                               "[1, N=1024])")
    error = raises(ValueError, "Q must always be >= 1, got 0", lambda: wst.Scattering1D(6, 1024, Q=0))
    assert str(error).endswith("(Q=0 is out of range: wavelets per octave must be in [1, 128])")
    # wst's own limits: 2^J <= N (Kymatio checks no J), max_order <= 3.
    raises(ValueError, "J=11: 2^J=2048 exceeds the signal length N=1024",
           lambda: wst.Scattering1D(11, 1024))
    raises(ValueError, "max_order=4 is out of range", lambda: wst.Scattering1D(6, 1024, max_order=4))
    raises(ValueError, "J=31 is out of range: J must be in [1, 30]", lambda: wst.Scattering1D(31, 64))
    # T=2**J given explicitly counts as a T (Kymatio's quirk): refused beyond N.
    raises(ValueError, "The support T", lambda: wst.Scattering1D(6, 32, T=64))


CALL_ERRORS = [
    (ValueError, "out_type must be one of 'array', 'dict', or 'list'. Got: arrays",
     dict(out_type="arrays"), np.zeros(1024)),
    (ValueError, "Cannot convert to out_type='array' with T=0. Please set out_type to 'dict' or "
     "'list'.", dict(T=0), np.zeros(1024)),
    (AttributeError, "'NoneType' object has no attribute 'shape'", {}, None),
    (ValueError, "Input tensor x should have at least one axis, got 0", {}, np.float64(1.0)),
    (ValueError, "Indefinite padding size (larger than tensor).", {}, np.zeros((2, 512))),
    (ValueError, "stride must be integer. Got: 16.0", dict(stride=16.0), np.zeros(1024)),
    (ValueError, "math domain error", dict(stride=0), np.zeros(1024)),
    (ValueError, "stride must be a power of two. Got: 12", dict(stride=12), np.zeros(1024)),
    (ValueError, "stride=16 is incompatible with T=global.", dict(T="global", stride=16),
     np.zeros(1024)),
    (ValueError, "stride=16 is incompatible with T=0.", dict(T=0, stride=16, out_type="list"),
     np.zeros(1024)),
    (KeyError, "7", dict(stride=128), np.zeros(1024)),
    (IndexError, "list index out of range", dict(T=16, stride=64), np.zeros(1024)),
    (TypeError, "The input should be real.", {}, np.zeros(1024, complex)),
    (RuntimeError, "The inputs are not compatible for multiplication.", {}, np.zeros((2, 1000))),
]


@pytest.mark.parametrize("kind, message, kwargs, x", CALL_ERRORS,
                         ids=[f"{c[2]!r}-{getattr(c[3], 'shape', c[3])}" for c in CALL_ERRORS])
def test_call_errors(kind, message, kwargs, x):
    S = wst.Scattering1D(J=6, shape=1024, Q=8, **kwargs)  # constructs: Kymatio checks these later
    raises(kind, message, lambda: S(x))
    raises(kind, message, lambda: S.scattering(x))


def test_strides_beyond_the_averaging_scale_are_refused_when_used():
    # Kymatio: KeyError beyond its stored levels, else mostly IndexError; wst refuses them all.
    for kwargs, kind in ((dict(stride=128), KeyError), (dict(T=16, stride=64), IndexError),
                         (dict(J=8, T=16, stride=32, max_order=1), IndexError)):
        S = wst.Scattering1D(**dict(dict(J=6, shape=1024, Q=8), **kwargs))
        for use in (lambda: S.stride, lambda: S.log2_stride, S.meta, lambda: S(np.zeros(1024))):
            error = raises(kind, "", use)
            assert isinstance(error, ValueError)
            assert f"stride={kwargs['stride']} is out of range" in str(error)
            assert "power of two from 1 to 2^floor(log2 T)" in str(error)
    # A non-integer stride is reported by the attribute too (Kymatio's properties may raise).
    with pytest.raises(ValueError, match="stride must be integer"):
        wst.Scattering1D(J=6, shape=1024, stride=16.0).stride


# ---- the command line (docs/scattering-options.md §1.6): --T 0 writes an .npz -------------------

def test_cli_npz_holds_the_dict_output(tmp_path):
    import subprocess
    import zipfile

    from conftest import cli_path
    x = rng().standard_normal((2, 3, 512)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    run = subprocess.run([str(cli_path()), "scatter1d", "--J", "5", "--Q", "4", "--Q2", "2",
                          "--T", "0", "--max-order", "3", "--plan", "estimate",
                          str(tmp_path / "x.npy"), str(tmp_path / "S.npz")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert zipfile.ZipFile(tmp_path / "S.npz").testzip() is None  # every CRC-32 holds
    S = wst.Scattering1D(J=5, shape=512, Q=(4, 2), T=0, max_order=3, out_type="list")
    listed = S(x)
    with np.load(tmp_path / "S.npz") as npz:
        assert npz.files == [str(p["n"]) for p in listed]  # channel order, Kymatio's keys
        for path in listed:
            np.testing.assert_array_equal(npz[str(path["n"])], path["coef"])
