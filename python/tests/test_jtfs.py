"""wst.TimeFrequencyScattering, Kymatio 0.4's joint time-frequency scattering (docs/JTFS.md,
docs/jtfs-formulas.md): parity with every jtfs_* reference of shared/reference/kymatio/v04-more
(both formats, float64 and float32), meta(), out_type 'list' and 'dict' (§J6.3), Kymatio's errors
(§J1.3) and batch shapes."""
import pickle
import threading
import time

import numpy as np
import pytest

import wst
from conftest import kymatio_ref, load_ref, per_channel_error, rel_error

# The development configuration of §J10.1.
DEV = dict(J=8, J_fr=3, Q=(8, 2), shape=4096, Q_fr=2)
_CACHE = {}


def ref(name):
    return load_ref(kymatio_ref(f"v04-more/jtfs_J8_N4096_{name}.npy"))


def dev(format='time', out_type='array'):
    """The dev-config transform (built once per format; out_type set per call)."""
    if format not in _CACHE:
        _CACHE[format] = wst.TimeFrequencyScattering(**DEV, format=format)
    S = _CACHE[format]
    S.out_type = out_type
    return S


# ---- parity with Kymatio 0.4 ---------------------------------------------------------------------

@pytest.mark.parametrize("format, channel_axis", [("time", -2), ("joint", -3)])
@pytest.mark.parametrize("which", ["", "_det"])
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-6), (np.float32, 1e-4)])
def test_parity_with_every_reference(format, channel_axis, which, dtype, tol):
    x = ref("x" + which).astype(dtype)
    want = ref(f"{format}_S{which}")
    out = dev(format)(x)
    assert out.dtype == dtype
    assert out.shape == want.shape
    err = rel_error(out, want)
    print(f"[parity] jtfs {format}{which} {np.dtype(dtype).name}: whole {err:.2e}")
    assert err <= tol
    if dtype == np.float64 and which == "":
        assert per_channel_error(out, want, channel_axis) <= 1e-6


def test_check_values_of_the_spec():
    """§J10.1: shapes, the first samples of the chirp's joint and time outputs."""
    x = ref("x_det")
    joint, time = dev("joint")(x), dev("time")(x)
    assert joint.shape == (203, 17, 16) and time.shape == (972, 16)
    np.testing.assert_allclose(joint[0, 0, :4], [7.3456995900820723e-05, 1.2914132437076518e-04,
                                                 3.3544783490579939e-04, 8.0056780111293919e-04],
                               rtol=1e-9)
    np.testing.assert_allclose(time[0, :4], [-2.0403463395222020e-06, -1.6751257739591188e-06,
                                             -9.3014761840857856e-07, -3.4888793662145328e-07],
                               rtol=1e-9)
    np.testing.assert_array_equal(time[1], joint[0, 0])
    S = dev("time")
    assert (S.N_fr, S.F, S.log2_F, S.T, S.stride, S.pad_left) == (136, 8, 3, 256, 256, 2048)


@pytest.mark.parametrize("batch", [(), (3,), (2, 1, 3)])
def test_any_batch_shape(batch):
    x = np.random.default_rng(1).standard_normal(batch + (4096,))
    for format in ("time", "joint"):
        S = dev(format)
        out = S(x)
        flat = S(x.reshape(-1, 4096))
        assert out.shape == batch + flat.shape[1:]
        np.testing.assert_array_equal(out.reshape(flat.shape), flat)


def test_threads_do_not_change_the_result():
    x = ref("x")
    one = wst.TimeFrequencyScattering(**DEV, threads=1)(x)
    np.testing.assert_array_equal(one, dev("time")(x))


def test_the_gil_is_released_while_computing():
    """The main thread keeps waking up while another thread computes (Python needs the GIL)."""
    S = wst.TimeFrequencyScattering(**DEV, threads=1)
    x = np.random.default_rng(2).standard_normal((4, 4096))
    done = threading.Event()
    worker = threading.Thread(target=lambda: (S(x), done.set()))
    start = time.perf_counter()
    worker.start()
    wakeups = 0
    while not done.is_set():
        time.sleep(0.005)
        wakeups += 1
    worker.join()
    elapsed = time.perf_counter() - start
    assert wakeups >= min(20, elapsed / 0.005 / 4), (wakeups, elapsed)


def test_integer_input_is_computed_in_float64():
    x = np.round(ref("x") * 100).astype(np.int16)
    out = dev("time")(x)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, dev("time")(x.astype(np.float64)))


# ---- meta() (§J7) --------------------------------------------------------------------------------

META = ("order", "n", "n_fr", "j", "j_fr", "xi", "xi_fr", "sigma", "sigma_fr", "spin")


def test_meta_time_equals_kymatio():
    m = dev("time").meta()
    assert set(m) == set(META) | {"key"}
    for name in META:
        want = ref(f"time_meta_{name}")
        got = np.asarray(m[name], dtype=np.float64)
        assert got.shape == want.shape, name
        np.testing.assert_array_equal(got, want, err_msg=name)  # NaN pattern included
    assert m["order"].dtype == np.int64 and m["n"].dtype == object
    assert m["key"][:3] == [(), (0, 0), (0, 1)]
    assert m["key"] == sorted(m["key"], key=lambda k: (len(k), k))


def test_meta_joint_layout():
    m = dev("joint").meta()
    assert len(m["key"]) == 204 and m["key"][0] == ()  # Kymatio's extra order-0 key
    assert all(len(m[name]) == 203 for name in META)
    assert m["n_fr"].dtype == np.int64
    assert np.isnan(m["j"][:, 0]).all()
    # Path 8: (n2 = 4, n_fr = 0), n1_max(4) = 10 with stride 8 (§J10.1).
    assert m["key"][9] == (4, 0)
    assert m["n"][8, 0] == range(0, 10, 8) and m["n"][8, 1] == 4
    assert isinstance(m["n"][0, 1], float) and np.isnan(m["n"][0, 1])


# ---- out_type 'list' and 'dict' (§J6.3) ----------------------------------------------------------

def test_time_list_and_dict_hold_the_array_channels():
    x = ref("x")
    out = dev("time")(x)
    records = dev("time", "list")(x)
    assert len(records) == out.shape[-2]
    for c, r in enumerate(records):
        np.testing.assert_array_equal(r["coef"], out[:, c])
    assert records[0] == {"coef": records[0]["coef"], "n": (), "j": (), "order": 0}
    first = records[1]
    assert (first["n"], first["j"], first["j_fr"], first["n_fr"], first["spin"],
            first["order"]) == ((0, 0), (-1,), (3,), (0,), 0, 0)  # order − 1: Kymatio's bug
    assert "n1_max" not in first
    second = [r for r in records if len(r["n"]) == 3]
    assert second[0]["order"] == 1 and second[0]["j"] == (-1, 1)
    assert {r["spin"] for r in records[1:]} == {0, 1.0, -1.0}
    # Meta rows and records agree as sets of keys.
    keys = sorted((r["n"] for r in records), key=lambda k: (len(k), k))
    assert keys == dev("time").meta()["key"]
    d = dev("time", "dict")(x)
    assert list(d) == [r["n"] for r in records]
    np.testing.assert_array_equal(d[(0, 4, 5)], [r for r in records if r["n"] == (0, 4, 5)][0]["coef"])


def test_joint_list_and_dict_are_the_unpadded_paths():
    x = ref("x")
    out = dev("joint")(x)
    time = dev("time")(x)
    records = dev("joint", "list")(x)
    assert len(records) == 1 + out.shape[-3]
    np.testing.assert_allclose(records[0]["coef"], time[:, 0], rtol=0, atol=1e-15 * np.abs(time).max())
    assert records[0]["coef"].shape == (2, 16)
    for p, r in enumerate(records[1:]):
        rows = 1 + r["n1_max"] // r["n1_stride"]
        assert r["coef"].shape == (2, rows, 16)
        np.testing.assert_array_equal(r["coef"], out[:, p, :rows])
    r = records[9]  # (n2 = 4, n_fr = 0)
    assert (r["n"], r["j"], r["n1_max"], r["n1_stride"], r["order"]) == ((4, 0), (-1, 1), 10, 8, 2)
    d = dev("joint", "dict")(x)
    assert list(d) == [r["n"] for r in records]
    assert list(d)[:2] == [(), (0,)]


def test_joint_list_rows_equal_the_time_channels():
    """§J6.2: 'time' channels are rows 0 … ⌈n1_max/n1_stride⌉ − 1 of the joint paths."""
    x = ref("x_det")
    joint = dev("joint", "list")(x)[1:]
    time = dev("time")(x)
    c = 1
    for r in joint:
        emitted = -(-r["n1_max"] // r["n1_stride"])
        np.testing.assert_array_equal(r["coef"][:emitted], time[c:c + emitted])
        c += emitted
    assert c == time.shape[0]


# ---- other averaging modes ----------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, shape", [
    (dict(T="global"), (972, 1)),
    (dict(T=512, stride=128), (972, 32)),
    (dict(F=4, stride_fr=4), None),
    (dict(F="global"), None),
    (dict(F=0), None),
])
def test_other_modes_run(kwargs, shape):
    S = wst.TimeFrequencyScattering(**dict(DEV, **kwargs))
    out = S(ref("x_det"))
    if shape is not None:
        assert out.shape == shape
    assert out.shape[0] == len(S.meta()["key"]) and np.isfinite(out).all()


# ---- Kymatio's errors (§J1.3) --------------------------------------------------------------------

@pytest.mark.parametrize("kind, message, kwargs", [
    (ValueError, "If shape is specified as a tuple, it must have exactly one element.",
     dict(shape=(4096, 1))),
    (ValueError, "shape must be an integer or a 1-tuple.", dict(shape="4096")),
    (ValueError, "The support T of the low-pass filter cannot exceed input length",
     dict(T=5000)),
    (ValueError, r"T must be ==0 or >=1 \(got 0.5\)", dict(T=0.5)),
    (ValueError, "Q must always be >= 1, got", dict(Q=(8, 0))),
    (NotImplementedError, "Q must be an integer, 1-tuple or 2-tuple", dict(Q=(8, 2, 1))),
    (ValueError, "Q must be an integer or a tuple", dict(Q=8.0)),
    (ValueError, "Q_fr must be >= 1, got", dict(Q_fr=0)),
    (NotImplementedError, "Q_fr must be an integer or 1-tuple. Time-frequency scattering beyond "
     "order 2 is not implemented.", dict(Q_fr=(1, 2))),
    (ValueError, r"Q_fr must be an integer or 1-tuple\.", dict(Q_fr=1.5)),
    (ValueError, r"Q_fr must be an integer or 1-tuple\.", dict(Q_fr=[1])),
    (ValueError, r"The support F of the low-pass filter cannot exceed input length \(got 73 > 72\)"
     r". For large averaging size, consider passing F='global'.", dict(F=73)),
    (ValueError, r"F must be ==0 or >=1 \(got 0.5\)", dict(F=0.5)),
    (TypeError, "J_fr must be nonnegative", dict(J_fr=-1)),
])
def test_constructor_errors(kind, message, kwargs):
    with pytest.raises(kind, match="^" + message):
        wst.TimeFrequencyScattering(**dict(DEV, **kwargs))


def test_construction_checks_run_in_kymatios_order():
    """shape, T, Q, Q_fr, F (§J1.3)."""
    with pytest.raises(ValueError, match="^If shape"):
        wst.TimeFrequencyScattering(**dict(DEV, shape=(1, 2), T=0.5, Q=0))
    with pytest.raises(ValueError, match="^T must be"):
        wst.TimeFrequencyScattering(**dict(DEV, T=0.5, Q=0, Q_fr=0))
    with pytest.raises(ValueError, match="^Q must"):
        wst.TimeFrequencyScattering(**dict(DEV, Q=0, Q_fr=0, F=0.5))
    with pytest.raises(ValueError, match="^Q_fr must"):
        wst.TimeFrequencyScattering(**dict(DEV, Q_fr=0, F=0.5))


@pytest.mark.parametrize("message, kwargs", [
    ("stride must be integer. Got: 2.5", dict(stride=2.5)),
    ("stride must be a power of two. Got: 48", dict(stride=48)),
    ("stride=16 is incompatible with T=global.", dict(T="global", stride=16)),
    ("stride_fr must be integer.", dict(stride_fr=1.5)),
    ("stride_fr must be a power of two.", dict(stride_fr=3)),
    ("stride_fr=None is incompatible with F=0.", dict(F=0, stride_fr=2)),  # Kymatio's bug
    ("stride_fr=256 is incompatible with F=global.", dict(F="global", stride=256, stride_fr=2)),
])
def test_stride_errors_at_call_and_meta(message, kwargs):
    S = wst.TimeFrequencyScattering(**dict(DEV, **kwargs))
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.")):
        S(ref("x"))
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.")):
        S.meta()


def test_call_errors_in_kymatios_order():
    x = ref("x")
    S = wst.TimeFrequencyScattering(**DEV, out_type="matrix")
    with pytest.raises(ValueError, match="^out_type must be one of 'array', 'dict', or 'list'. "
                                         "Got: matrix"):
        S(x)
    S = wst.TimeFrequencyScattering(**DEV, T=0)
    with pytest.raises(ValueError, match=r"^Cannot convert to out_type='array' with T=0\. Please "
                                         r"set out_type to 'dict' or 'list'\."):
        S(x)
    S.out_type = "list"
    with pytest.raises(NotImplementedError, match="T=0"):  # wst computes no T = 0 output
        S(x)
    S = wst.TimeFrequencyScattering(**DEV, F=0, format="joint")
    with pytest.raises(ValueError, match=r"^Cannot convert to format='joint' with out_type='array' "
                                         r"and F=0\. Either set format='time', out_type='dict', "
                                         r"or out_type='list'\."):
        S(x)
    S = wst.TimeFrequencyScattering(**DEV, format="spectral")
    with pytest.raises(ValueError, match="^format must be 'time' or 'joint'. Got: spectral"):
        S(x)
    S = dev("time")
    S.oversampling_fr = -1
    try:
        with pytest.raises(ValueError, match="^oversampling_fr must be nonnegative"):
            S(x)
        S.oversampling_fr = 0.5
        with pytest.raises(ValueError, match="^oversampling_fr must be integer"):
            S(x)
    finally:
        S.oversampling_fr = 0
    with pytest.raises(ValueError, match="^Input tensor x should have at least one axis, got 0"):
        S(np.float64(1.0))
    with pytest.raises(RuntimeError, match="^The inputs are not compatible for multiplication"):
        S(np.zeros(4097))
    with pytest.raises(ValueError, match="NaN"):
        S(np.full(4096, np.nan))


def test_configurations_kymatio_fails_on_are_refused():
    """§J1.4: a stride below 2^j2max, Q2 > Q1 banks and 2^J > N are refused."""
    with pytest.raises(ValueError, match="2\\^j2max = 128"):  # Kymatio: when called
        wst.TimeFrequencyScattering(**dict(DEV, T=32))(ref("x"))
    with pytest.raises(AssertionError):
        wst.TimeFrequencyScattering(J=6, J_fr=2, Q=(2, 8), shape=1024)
    with pytest.raises(ValueError, match="J=13"):
        wst.TimeFrequencyScattering(**dict(DEV, J=13))


# ---- the Python object ---------------------------------------------------------------------------

def test_exports_signature_and_pickle():
    import inspect
    import wst.numpy
    assert wst.numpy.TimeFrequencyScattering is wst.TimeFrequencyScattering
    assert "TimeFrequencyScattering" in wst.__all__ and "TimeFrequencyScattering" in wst.numpy.__all__
    params = list(inspect.signature(wst.TimeFrequencyScattering).parameters)
    assert params[:12] == ["J", "J_fr", "Q", "shape", "T", "stride", "Q_fr", "F", "stride_fr",
                           "out_type", "format", "backend"]
    S = wst.TimeFrequencyScattering(8, 3, (8, 2), 4096, Q_fr=2, format="joint")
    T = pickle.loads(pickle.dumps(S))
    assert T == S and hash(T) == hash(S)
    np.testing.assert_array_equal(T(ref("x_det")), S(ref("x_det")))
    assert repr(S).startswith("TimeFrequencyScattering(J=8, J_fr=3, Q=(8, 2), shape=(4096,)")
    with pytest.raises(ImportError):
        wst.TimeFrequencyScattering(**DEV, backend="torch")
