"""wst.Scattering1D / wst.Scattering2D: parity with Kymatio 0.4 (every 1D and 2D case of
shared/reference/kymatio, to the tolerances of tests/core/test_reference.cpp) and Kymatio's interface:
shapes, dtypes, memory layouts, batch shapes, out_type='list', meta(), filters(), threads, pickle,
and agreement with the wst command-line program."""
import os
import pickle
import subprocess

import numpy as np
import pytest

import wst
from conftest import cli_path, kymatio_ref, load_ref, per_channel_error, rel_error

RNG_SEED = 0


def rng():
    return np.random.default_rng(RNG_SEED)


# ---- 1D parity -----------------------------------------------------------------------------------

def test_1d_test_data_J6_Q16_N512():
    data = np.load(kymatio_ref("test_data_1d.npz"))
    x, ref = data["x"], data["Sx"]
    J, Q = int(data["J"]), int(data["Q"])
    assert x.shape == (4, 512) and ref.shape == (4, 222, 8)
    S = wst.Scattering1D(J=J, shape=x.shape[-1], Q=Q)
    assert S.J == 6 and S.Q == (16, 1) and S.T == 64 and S.N == 512 and S.shape == (512,)
    assert S.max_order == 2 and S.out_type == "array"
    assert S.output_size() == 222

    out = S(x.astype(np.float64))
    assert out.shape == (4, 222, 8) and out.dtype == np.float64
    # The reference was stored as float32 (spec §7: 3.8e-8).
    assert rel_error(out, ref) <= 1e-7
    assert per_channel_error(out, ref, 1) <= 2e-7

    outf = S(x)  # float32 in → float32 computation
    assert outf.dtype == np.float32 and outf.shape == ref.shape
    assert rel_error(outf, ref) <= 1e-4


def test_1d_dev_J6_Q8_N4096_output():
    x = load_ref(kymatio_ref("dev/s1d_J6_Q8_N4096_x_random.npy"))
    ref = load_ref(kymatio_ref("dev/s1d_J6_Q8_N4096_S_random.npy"))
    S = wst.Scattering1D(6, 4096, Q=8)
    out = S(x)
    assert out.shape == ref.shape == (2, 126, 64)
    assert out.dtype == np.float64
    assert rel_error(out, ref) <= 1e-12
    assert per_channel_error(out, ref, 1) <= 1e-11
    assert rel_error(S(x.astype(np.float32)), ref) <= 1e-4
    np.testing.assert_array_equal(S.scattering(x), out)


def test_1d_dev_filters():
    S = wst.Scattering1D(J=6, shape=(4096,), Q=8)
    f = S.filters()
    assert set(f) == {"phi", "psi1", "psi2"}
    phi = load_ref(kymatio_ref("dev/s1d_J6_Q8_N4096_filters_phi_f.npy"))
    assert f["phi"].shape == (8192,) and f["phi"].dtype == np.float64
    assert rel_error(f["phi"], phi) <= 1e-13
    for name, count in (("psi1", 38), ("psi2", 7)):
        ref = load_ref(kymatio_ref(f"dev/s1d_J6_Q8_N4096_filters_{name}_f.npy"))
        assert f[name].shape == ref.shape == (count, 8192)
        assert f[name].dtype == np.float64
        for i in range(count):
            assert rel_error(f[name][i], ref[i]) <= 1e-13, f"{name} filter {i}"


def test_1d_dev_meta():
    S = wst.Scattering1D(J=6, shape=4096, Q=8)
    meta = S.meta()
    assert {"order", "n", "j", "xi", "sigma", "key"} <= set(meta)
    order = load_ref(kymatio_ref("dev/s1d_J6_Q8_N4096_meta_order.npy"))
    assert meta["order"].dtype == np.int64 and meta["order"].shape == (126,)
    np.testing.assert_array_equal(meta["order"], order)
    for name in ("n", "j", "xi", "sigma"):
        ref = load_ref(kymatio_ref(f"dev/s1d_J6_Q8_N4096_meta_{name}.npy"))
        ours = meta[name]
        assert ours.shape == ref.shape == (126, 2), name
        assert ours.dtype == np.float64, name
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref), err_msg=f"NaN in {name}")
        used = ~np.isnan(ref)
        assert np.all(np.abs(ours[used] - ref[used]) <= 1e-15 * np.abs(ref[used])), name
    n = load_ref(kymatio_ref("dev/s1d_J6_Q8_N4096_meta_n.npy"))
    expected_keys = [tuple(int(v) for v in row if not np.isnan(v)) for row in n]
    assert len(meta["key"]) == 126
    assert all(type(k) is tuple and all(type(v) is int for v in k) for k in meta["key"])
    assert meta["key"] == expected_keys
    assert meta["key"][0] == ()


def test_1d_max_order_1_and_3_extend_order_2():
    x = rng().standard_normal((3, 1024))
    S2 = wst.Scattering1D(J=5, shape=1024, Q=4)
    out2 = S2(x)
    S1 = wst.Scattering1D(J=5, shape=1024, Q=4, max_order=1)
    S3 = wst.Scattering1D(J=5, shape=1024, Q=4, max_order=3)
    out1, out3 = S1(x), S3(x)
    m2 = S2.meta()
    c1 = int(np.sum(m2["order"] <= 1))
    assert out1.shape == (3, c1, 1024 // 32)
    assert rel_error(out1, out2[:, :c1]) <= 1e-12
    assert out3.shape[1] > out2.shape[1]
    assert rel_error(out3[:, :out2.shape[1]], out2) <= 1e-12
    m3 = S3.meta()
    assert m3["n"].shape == (S3.output_size(), 3) and S1.meta()["n"].shape == (c1, 1)
    assert set(np.unique(m3["order"])) == {0, 1, 2, 3}


def test_1d_Q_pair_and_T():
    x = rng().standard_normal((2, 512))
    S = wst.Scattering1D(J=5, shape=512, Q=(8, 2), T=16)
    assert S.Q == (8, 2) and S.T == 16
    out = S(x)
    assert out.shape == (2, S.output_size(), 512 // 16)
    assert np.all(np.isfinite(out))
    # stride=T is accepted (Kymatio's default), the same transform
    same = wst.Scattering1D(J=5, shape=512, Q=(8, 2), T=16, stride=16)
    np.testing.assert_array_equal(same(x), out)
    # a different Q at order 2 gives other channels
    assert wst.Scattering1D(J=5, shape=512, Q=(8, 1), T=16).output_size() != S.output_size()


# ---- 2D parity -----------------------------------------------------------------------------------

def test_2d_test_data_J4_on_2x3x32x32():
    data = np.load(kymatio_ref("test_data_2d.npz"))
    x, ref = data["x"], data["Sx"]
    assert not bool(data["pre_pad"])
    S = wst.Scattering2D(J=int(data["J"]), shape=(32, 32))
    assert S.J == 4 and S.L == 8 and S.max_order == 2 and S.shape == (32, 32)
    assert S.M == 32 and S.N == 32 and S.output_size() == 417

    out = S(x.astype(np.float64))
    assert out.shape == (2, 3, 417, 2, 2) and out.dtype == np.float64
    # Kymatio ran this in float32; spec §7: ~2.2e-7 whole, ~5e-7 per channel.
    assert rel_error(out, ref) <= 5e-7
    assert per_channel_error(out, ref, 2) <= 1e-6

    outf = S(x)
    assert outf.dtype == np.float32 and outf.shape == (2, 3, 417, 2, 2)
    assert rel_error(outf, ref) <= 1e-4

    # Kymatio's test: max_order=1 is the first 33 channels (here bit for bit in float64).
    S1 = wst.Scattering2D(J=4, shape=(32, 32), max_order=1)
    assert S1.output_size() == 33
    o1 = S1(x.astype(np.float64))
    assert o1.shape == (2, 3, 33, 2, 2)
    np.testing.assert_array_equal(o1, out[:, :, :33])
    assert rel_error(S1(x), outf[:, :, :33]) <= 1e-6


def test_2d_dev_J2_L8_32x32_output():
    x = load_ref(kymatio_ref("dev/s2d_J2_L8_32x32_x_random.npy"))
    ref = load_ref(kymatio_ref("dev/s2d_J2_L8_32x32_S_random.npy"))
    S = wst.Scattering2D(J=2, shape=(32, 32), L=8)
    out = S(x)
    assert out.shape == ref.shape == (2, 81, 8, 8)
    assert rel_error(out, ref) <= 5e-7
    assert per_channel_error(out, ref, 1) <= 1e-6
    assert rel_error(S(x.astype(np.float32)), ref) <= 1e-4
    np.testing.assert_array_equal(S.scattering(x), out)


def test_2d_dev_filters():
    S = wst.Scattering2D(J=2, shape=(32, 32))
    f = S.filters()
    assert set(f) == {"phi", "psi"}
    phi = load_ref(kymatio_ref("dev/s2d_J2_L8_32x32_filters_phi_f.npy"))
    psi = load_ref(kymatio_ref("dev/s2d_J2_L8_32x32_filters_psi_f.npy"))
    assert f["phi"].shape == (40, 40) and f["phi"].dtype == np.float64
    assert f["psi"].shape == psi.shape == (16, 40, 40) and f["psi"].dtype == np.float64
    assert rel_error(f["phi"], phi) <= 3e-7  # the reference is float32
    for i in range(16):
        assert rel_error(f["psi"][i], psi[i]) <= 3e-7, f"psi {i}"


def test_2d_meta_equals_the_path_table():
    S = wst.Scattering2D(J=2, shape=(32, 32), L=8)
    table = load_ref(kymatio_ref("dev/s2d_J2_L8_32x32_paths_order_j1_theta1_j2_theta2.npy"))
    assert table.shape == (81, 5)
    meta = S.meta()
    assert {"order", "j", "theta", "n", "key"} <= set(meta)
    assert meta["order"].dtype == np.int64 and meta["order"].shape == (81,)
    np.testing.assert_array_equal(meta["order"], table[:, 0])
    expected = {"j": table[:, [1, 3]].astype(np.float64),
                "theta": table[:, [2, 4]].astype(np.float64)}
    for name in ("j", "theta"):
        e = expected[name]
        e[e == -1] = np.nan
        assert meta[name].shape == (81, 2) and meta[name].dtype == np.float64
        np.testing.assert_array_equal(meta[name], e, err_msg=name)  # NaN compares equal here
    n = expected["j"] * 8 + expected["theta"]
    assert meta["n"].shape == (81, 2) and meta["n"].dtype == np.float64
    np.testing.assert_array_equal(meta["n"], n)
    keys = [tuple(int(v) for v in row if not np.isnan(v)) for row in n]
    assert all(type(k) is tuple and all(type(v) is int for v in k) for k in meta["key"])
    assert meta["key"] == keys


def test_2d_max_order_1_meta_and_other_L():
    S = wst.Scattering2D(J=3, shape=(40, 24), L=6, max_order=1)
    assert S.output_size() == 1 + 3 * 6
    meta = S.meta()
    assert meta["j"].shape[0] == 19 and len(meta["key"]) == 19
    x = rng().standard_normal((5, 40, 24)).astype(np.float32)
    out = S(x)
    assert out.shape == (5, 19, 5, 3) and out.dtype == np.float32
    S2 = wst.Scattering2D(J=3, shape=(40, 24), L=6)
    assert S2.output_size() == 1 + 3 * 6 + 36 * 3
    assert rel_error(out, S2(x)[:, :19]) <= 1e-6


# ---- Kymatio's interface: dtypes, layouts, batch shapes ------------------------------------------

TRANSFORMS = {
    "1d": lambda: wst.Scattering1D(J=4, shape=256, Q=4),
    "2d": lambda: wst.Scattering2D(J=2, shape=(16, 20), L=4),
}


def sample_shape(S):
    return (S.N,) if isinstance(S, wst.Scattering1D) else (S.M, S.N)


@pytest.fixture(params=sorted(TRANSFORMS))
def transform(request):
    return TRANSFORMS[request.param]()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_in_is_dtype_out(transform, dtype):
    x = rng().standard_normal((3, *sample_shape(transform))).astype(dtype)
    out = transform(x)
    assert out.dtype == dtype
    ref = transform(x.astype(np.float64))
    assert rel_error(out, ref) <= (1e-5 if dtype == np.float32 else 0.0)


@pytest.mark.parametrize("dtype", [np.int16, np.int64, np.uint8, np.bool_])
def test_integer_and_bool_input_is_converted_to_float64(transform, dtype):
    high = 2 if dtype == np.bool_ else 50
    x = rng().integers(0, high, size=(2, *sample_shape(transform))).astype(dtype)
    out = transform(x)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, transform(x.astype(np.float64)))


def test_other_byte_orders_and_float16(transform):
    x = rng().standard_normal((2, *sample_shape(transform)))
    np.testing.assert_array_equal(transform(x.astype(">f8")), transform(x))
    big32 = transform(x.astype(">f4"))
    assert big32.dtype == np.float32
    np.testing.assert_array_equal(big32, transform(x.astype(np.float32)))
    half = x.astype(np.float16)  # widened to float32
    np.testing.assert_array_equal(transform(half), transform(half.astype(np.float32)))


def test_empty_batch(transform):
    C = transform.output_size()
    out = transform(np.zeros((0, *sample_shape(transform)), np.float32))
    assert out.shape[0] == 0 and out.shape[1] == C and out.dtype == np.float32
    assert transform(np.zeros((2, 0, *sample_shape(transform)))).shape[:3] == (2, 0, C)


def test_python_lists_are_accepted(transform):
    x = rng().standard_normal((2, *sample_shape(transform)))
    np.testing.assert_array_equal(transform(x.tolist()), transform(x))


def layouts(x):
    """Views of the same values in other memory layouts (x has ≥ 3 axes)."""
    wide = np.zeros(x.shape[:-1] + (2 * x.shape[-1],), x.dtype)
    wide[..., ::2] = x
    rev = np.ascontiguousarray(x[..., ::-1])
    perm = tuple(range(x.ndim))[::-1]
    transposed = np.ascontiguousarray(x.transpose(perm)).transpose(perm)
    return {
        "every other column": wide[..., ::2],
        "fortran order": np.asfortranarray(x),
        "transposed": transposed,
        "negative stride": rev[..., ::-1],
        "every other batch item": np.repeat(x, 2, axis=0)[::2],
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_non_contiguous_input_gives_the_same_numbers(transform, dtype):
    x = rng().standard_normal((2, 3, *sample_shape(transform))).astype(dtype)
    ref = transform(np.ascontiguousarray(x))
    for name, view in layouts(x).items():
        np.testing.assert_array_equal(view, x)
        assert not view.flags.c_contiguous, name
        out = transform(view)
        assert out.dtype == dtype, name
        np.testing.assert_array_equal(out, ref, err_msg=name)


def test_the_input_is_not_modified(transform):
    x = rng().standard_normal((2, *sample_shape(transform)))
    x_copy = x.copy()
    transform(x)
    transform(np.asfortranarray(x))
    np.testing.assert_array_equal(x, x_copy)


def test_any_leading_batch_shape(transform):
    shape = sample_shape(transform)
    C = transform.output_size()
    x = rng().standard_normal((2, 3, 1, *shape))
    full = transform(x)
    out_shape = full.shape[3:]
    assert out_shape[0] == C
    assert full.shape[:3] == (2, 3, 1)
    # no batch axis: (…shape) → (C, …)
    single = transform(x[1, 2, 0])
    assert single.shape == out_shape
    np.testing.assert_array_equal(single, full[1, 2, 0])
    # one and two batch axes
    np.testing.assert_array_equal(transform(x[:, :, 0]), full[:, :, 0])
    np.testing.assert_array_equal(transform(x.reshape(6, *shape)), full.reshape(6, *out_shape))
    # four batch axes
    x4 = x.reshape(1, 2, 3, 1, *shape)
    np.testing.assert_array_equal(transform(x4), full.reshape(1, 2, 3, 1, *out_shape))


def test_shape_of_kymatio_example_2x3x32x32():
    S = wst.Scattering2D(J=4, shape=(32, 32))
    out = S(rng().standard_normal((2, 3, 32, 32)).astype(np.float32))
    assert out.shape == (2, 3, 417, 2, 2) and out.dtype == np.float32
    S = wst.Scattering2D(J=2, shape=(28, 28))
    assert S(np.zeros((28, 28), np.float32)).shape == (81, 7, 7)


def test_rectangular_and_odd_2d_output_shape():
    S = wst.Scattering2D(J=2, shape=(30, 23), L=8)
    out = S(rng().standard_normal((2, 30, 23)))
    assert out.shape == (2, 81, 30 // 4, 23 // 4)
    assert np.all(np.isfinite(out))


# ---- out_type='list' -----------------------------------------------------------------------------

def test_1d_list_output_matches_the_array_channel_by_channel():
    x = rng().standard_normal((2, 3, 512))
    A = wst.Scattering1D(J=5, shape=512, Q=8)
    L = wst.Scattering1D(J=5, shape=512, Q=8, out_type="list")
    assert L.out_type == "list"
    arr, lst = A(x), L(x)
    meta = A.meta()
    assert isinstance(lst, list) and len(lst) == A.output_size() == arr.shape[-2]
    for c, path in enumerate(lst):
        assert set(path) == {"coef", "j", "n", "order"}, c
        assert path["coef"].shape == (2, 3, arr.shape[-1])
        np.testing.assert_array_equal(path["coef"], arr[..., c, :])
        assert path["order"] == meta["order"][c]
        assert path["n"] == meta["key"][c]
        assert isinstance(path["j"], tuple) and isinstance(path["n"], tuple)
        assert path["j"] == tuple(int(v) for v in meta["j"][c] if not np.isnan(v))
        assert len(path["j"]) == len(path["n"]) == path["order"]
    assert lst[0]["j"] == () and lst[0]["n"] == () and lst[0]["order"] == 0
    # float32 stays float32, and no batch axis gives (N_out,) coefficients
    lf = L(x[0, 0].astype(np.float32))
    assert lf[5]["coef"].dtype == np.float32 and lf[5]["coef"].shape == (arr.shape[-1],)


def test_2d_list_output_matches_the_array_channel_by_channel():
    data = np.load(kymatio_ref("test_data_2d.npz"))
    x = data["x"]
    A = wst.Scattering2D(J=4, shape=(32, 32))
    L = wst.Scattering2D(J=4, shape=(32, 32), out_type="list")
    arr, lst = A(x), L(x)
    meta = A.meta()
    assert len(lst) == 417
    for c, path in enumerate(lst):
        assert set(path) == {"coef", "j", "n", "theta"}, c  # Kymatio's keys: no 'order'
        assert path["coef"].shape == (2, 3, 2, 2) and path["coef"].dtype == np.float32
        np.testing.assert_array_equal(path["coef"], arr[..., c, :, :])
        assert len(path["j"]) == meta["order"][c]
        assert path["n"] == tuple(meta["key"][c])
        assert path["j"] == tuple(int(v) for v in meta["j"][c] if not np.isnan(v))
        assert path["theta"] == tuple(int(v) for v in meta["theta"][c] if not np.isnan(v))
    assert lst[0]["j"] == () and lst[0]["theta"] == ()
    assert lst[1]["j"] == (0,) and lst[1]["theta"] == (0,) and lst[1]["n"] == (0,)
    assert lst[33]["j"] == (0, 1) and lst[33]["theta"] == (0, 0) and lst[33]["n"] == (0, 8)
    assert lst[-1]["j"] == (2, 3) and lst[-1]["theta"] == (7, 7)


# ---- threads, attributes, pickle -----------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_threads_1_and_2_are_bit_identical(dtype):
    g = rng()
    x1 = g.standard_normal((7, 1024)).astype(dtype)
    x2 = g.standard_normal((9, 28, 28)).astype(dtype)
    for make, x in ((lambda t: wst.Scattering1D(J=6, shape=1024, Q=8, threads=t), x1),
                    (lambda t: wst.Scattering2D(J=2, shape=(28, 28), threads=t), x2)):
        one, two = make(1), make(2)
        assert one.threads == 1 and two.threads == 2
        a, b = one(x), two(x)
        assert a.dtype == dtype
        assert a.tobytes() == b.tobytes()


def test_concurrent_calls_from_python_threads():
    # The transform is const and the GIL is released: calls from several Python threads at once
    # give each caller its own, correct result.
    from concurrent.futures import ThreadPoolExecutor
    S = wst.Scattering2D(J=2, shape=(28, 28), threads=1)
    xs = [rng().standard_normal((4, 28, 28)) * (k + 1) for k in range(6)]
    expected = [S(x) for x in xs]
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(S, xs * 2))
    for k, out in enumerate(results):
        np.testing.assert_array_equal(out, expected[k % 6])


def test_default_threads_is_the_cpu_count():
    assert wst.Scattering1D(J=3, shape=64).threads == os.cpu_count()
    assert wst.Scattering2D(J=2, shape=(8, 8)).threads == os.cpu_count()


def test_planning_does_not_change_the_result_much():
    x = rng().standard_normal((2, 32, 32))
    a = wst.Scattering2D(J=3, shape=(32, 32), planning="estimate")(x)
    b = wst.Scattering2D(J=3, shape=(32, 32), planning="measure")(x)
    assert rel_error(b, a) <= 1e-13


def test_pickle_round_trip():
    x1 = rng().standard_normal((2, 512))
    S1 = wst.Scattering1D(J=5, shape=512, Q=(8, 2), T=16, max_order=3, out_type="list", threads=2)
    R1 = pickle.loads(pickle.dumps(S1))
    assert type(R1) is wst.Scattering1D
    for attr in ("J", "shape", "Q", "T", "max_order", "out_type", "threads", "N"):
        assert getattr(R1, attr) == getattr(S1, attr), attr
    assert R1.output_size() == S1.output_size()
    for p, q in zip(S1(x1), R1(x1)):
        np.testing.assert_array_equal(p["coef"], q["coef"])
        assert (p["j"], p["n"], p["order"]) == (q["j"], q["n"], q["order"])

    x2 = rng().standard_normal((3, 24, 32)).astype(np.float32)
    S2 = wst.Scattering2D(J=3, shape=(24, 32), L=4, max_order=1, threads=1)
    R2 = pickle.loads(pickle.dumps(S2, protocol=pickle.HIGHEST_PROTOCOL))
    for attr in ("J", "shape", "L", "max_order", "out_type", "threads", "M", "N"):
        assert getattr(R2, attr) == getattr(S2, attr), attr
    np.testing.assert_array_equal(R2(x2), S2(x2))
    np.testing.assert_array_equal(R2.meta()["n"], S2.meta()["n"])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bench_cpp_seconds(transform, dtype):
    # The hook of bench/bench_python.py: mean seconds of the C++ transform, GIL released.
    x = rng().standard_normal((3, *sample_shape(transform))).astype(dtype)
    seconds = transform._bench_cpp_seconds(x, 3)
    assert type(seconds) is float and 0 < seconds < 10
    with pytest.raises(ValueError):
        transform._bench_cpp_seconds(x[..., :-1], 1)
    with pytest.raises(ValueError):
        transform._bench_cpp_seconds(x, 0)


def test_numpy_submodule_and_version():
    import wst.numpy as wn
    assert wn.Scattering1D is wst.Scattering1D and wn.Scattering2D is wst.Scattering2D
    assert wst.__version__ == "0.1.0"


# ---- the same numbers as the command-line program ------------------------------------------------

@pytest.mark.parametrize("kind", ["1d", "2d"])
def test_python_equals_the_cli(kind, tmp_path):
    g = rng()
    if kind == "1d":
        x = g.standard_normal((3, 600))
        S = wst.Scattering1D(J=5, shape=600, Q=(4, 2), T=16)
        args = ["scatter1d", "--J", "5", "--Q", "4", "--Q2", "2", "--T", "16"]
    else:
        x = g.standard_normal((2, 3, 28, 36)).astype(np.float32)
        S = wst.Scattering2D(J=2, shape=(28, 36), L=6)
        args = ["scatter2d", "--J", "2", "--L", "6"]
    np.save(tmp_path / "x.npy", x)
    env = dict(os.environ, WST_WISDOM_DIR=str(tmp_path))
    run = subprocess.run([str(cli_path()), *args, "--plan", "estimate", "--threads", "1",
                          str(tmp_path / "x.npy"), str(tmp_path / "S.npy")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    cli = np.load(tmp_path / "S.npy")
    out = S(x)
    assert cli.dtype == out.dtype and cli.shape == out.shape
    assert rel_error(out, cli) <= (1e-6 if x.dtype == np.float32 else 1e-13)
