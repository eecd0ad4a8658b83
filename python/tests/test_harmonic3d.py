"""wst.HarmonicScattering3D against Kymatio 0.4's references (docs/harmonic3d-formulas.md §12,
../shared/reference/kymatio/test_data_3d and v04-more/h3d_*), Kymatio's call errors (§10),
parameter checks, pickling/equality, the sklearn transformer and the CLI."""
import pickle
import subprocess

import numpy as np
import pytest

import wst
import wst.sklearn
from conftest import cli_path, kymatio_ref


def _per_value(a, ref):
    a, ref = np.asarray(a, np.float64), np.asarray(ref, np.float64)
    assert a.shape == ref.shape
    return float(np.max(np.abs(a - ref) / np.abs(ref)))


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-6), (np.float32, 1e-4)])
def test_test_data_3d(dtype, tol):
    x = np.load(kymatio_ref("test_data_3d/x.npy")).astype(dtype)
    ref = np.load(kymatio_ref("test_data_3d/Sx.npy"))
    powers = np.load(kymatio_ref("test_data_3d/integral_powers.npy"))
    S = wst.HarmonicScattering3D(J=2, shape=(16, 16, 16), L=2, sigma_0=1, max_order=2,
                                 method='integral', integral_powers=powers)
    out = S(x)
    assert out.dtype == np.float32 and out.shape == (2, 6, 3, 2)
    err = _per_value(out.reshape(2, -1), ref[:, 2:])
    print(f"[parity] test_data_3d {np.dtype(dtype).name}: {err:.2e}")
    assert err < tol
    # Columns 0–1 are Σ x^p (order 0), which the frontend does not return.
    np.testing.assert_allclose(np.sum(x.astype(np.float64) ** 2, axis=(1, 2, 3)), ref[:, 1], rtol=1e-5)


@pytest.mark.parametrize("covariant", [True, False])
@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-6), (np.float32, 1e-4)])
def test_h3d_reference(covariant, dtype, tol):
    x = np.load(kymatio_ref("v04-more/h3d_J2_L2_32_x.npy")).astype(dtype)
    ref = np.load(kymatio_ref("v04-more/h3d_J2_L2_32_" + ("S" if covariant else "noncov_S") + ".npy"))
    S = wst.HarmonicScattering3D(2, (32, 32, 32), L=2, rotation_covariant=covariant,
                                 integral_powers=[0.5, 1, 2])
    err = _per_value(S.scattering(x), ref)
    print(f"[parity] h3d covariant={covariant} {np.dtype(dtype).name}: {err:.2e}")
    assert err < tol


def test_check_values_and_batch_dims():
    M, N, O = 8, 10, 12
    a, b, c = np.meshgrid(np.arange(M), np.arange(N), np.arange(O), indexing='ij')
    x = ((a + 2 * b + 3 * c) % 7) - 3 + 0.5 * np.cos(2 * np.pi * a / M) * np.sin(2 * np.pi * (b + c) / N)
    S = wst.numpy.HarmonicScattering3D(J=1, shape=(M, N, O), L=2)
    out = S(x)
    assert out.shape == (3, 3, 3)
    np.testing.assert_allclose(out[0, 1], [302.82651, 100.13313, 12.204248], rtol=1e-6)
    np.testing.assert_allclose(out[2, 2], [63.427006, 4.3971710, 0.023387333], rtol=1e-6)
    batch = np.stack([x, 2 * x, -x]).reshape(1, 3, M, N, O)
    many = S(batch)
    assert many.shape == (1, 3, 3, 3, 3)
    np.testing.assert_allclose(many[0, 1], out * np.array([2 ** 0.5, 2, 4]), rtol=1e-6)
    assert np.array_equal(many[0, 2], out)
    order1 = wst.HarmonicScattering3D(J=1, shape=(M, N, O), L=2, max_order=0)(x)
    assert order1.shape == (2, 3, 3) and np.array_equal(order1, out[:2])  # Kymatio: ≠ 2 → order 1
    assert S.meta()['j2'].tolist() == [-1, -1, 1]


def test_call_errors_are_kymatios():
    S = wst.HarmonicScattering3D(1, (4, 6, 8), L=1)
    with pytest.raises(TypeError, match="The input should be not empty."):
        S(None)
    with pytest.raises(TypeError, match="The input should be a numpy array"):
        S([[1.0]])
    with pytest.raises(RuntimeError, match="Input tensor must have at least three dimensions."):
        S(np.ones((6, 8)))
    with pytest.raises(RuntimeError, match=r"Tensor must be of spatial size \(4, 6, 8\)."):
        S(np.ones((4, 6, 7)))
    with pytest.raises(TypeError, match="The input should be real."):
        S(np.ones((4, 6, 8), np.int64))
    x = np.ones((2, 4, 6, 8))
    x[1, 0, 0, 3] = np.nan
    with pytest.raises(ValueError, match="holds NaN at flat index 195"):
        S(x)


@pytest.mark.parametrize("kwargs,words", [
    (dict(J=3), "J=3 is out of range: must be in [0, 2]"),
    (dict(J=-1), "need at least one array to stack"),
    (dict(L=-1), "need at least one array to stack"),
    (dict(L=17), "L=17 is out of range: must be in [0, 16]"),
    (dict(sigma_0=0), "sigma_0=0 is out of range"),
    (dict(method='sum'), "method must be in ['integral']"),
    (dict(integral_powers=[]), "need at least one array to stack"),
    (dict(integral_powers=[1, np.inf]), "every power must be finite"),
    (dict(shape=(4, 6)), "not enough values to unpack (expected 3, got 2)"),
    (dict(shape=(4, 0, 8)), "shape"),
])
def test_bad_parameters(kwargs, words):
    args = dict(J=1, shape=(4, 6, 8))
    args.update(kwargs)
    with pytest.raises(ValueError) as e:
        wst.HarmonicScattering3D(**args)
    assert words in str(e.value)


def test_integer_shape_is_kymatios_type_error():
    with pytest.raises(TypeError, match="cannot unpack non-iterable int object"):
        wst.HarmonicScattering3D(1, 8)


def test_pickle_and_equality():
    S = wst.HarmonicScattering3D(1, (6, 6, 6), L=1, rotation_covariant=False, integral_powers=(1, 3))
    T = pickle.loads(pickle.dumps(S))
    assert T == S and T is not S
    assert S != wst.HarmonicScattering3D(1, (6, 6, 6), L=1)
    x = np.random.default_rng(0).standard_normal((6, 6, 6))
    assert np.array_equal(S(x), T(x))


def test_threads_do_not_change_the_result():
    x = np.random.default_rng(1).standard_normal((5, 8, 8, 8)).astype(np.float32)
    one = wst.HarmonicScattering3D(2, (8, 8, 8), L=2, threads=1)(x)
    three = wst.HarmonicScattering3D(2, (8, 8, 8), L=2, threads=3)(x)
    assert np.array_equal(one, three)


def test_unaligned_input_is_copied():
    S = wst.HarmonicScattering3D(J=2, shape=(8, 8, 8), L=2)
    x = np.random.default_rng(5).standard_normal((4, 8, 8, 8)).astype(np.float32)
    raw = bytearray(x.nbytes + 1)
    unaligned = np.frombuffer(raw, np.float32, offset=1, count=x.size).reshape(x.shape)
    unaligned[...] = x
    assert not unaligned.flags.aligned
    expected = S(x)
    np.testing.assert_array_equal(S(unaligned), expected)


def test_sklearn_transformer():
    from sklearn.base import clone
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    rng = np.random.default_rng(2)
    X = rng.standard_normal((12, 6 * 6 * 6))
    y = rng.standard_normal(12)
    t = wst.sklearn.HarmonicScattering3D(J=1, shape=(6, 6, 6), L=1)
    F = t.fit(X).transform(X)
    assert F.shape == (12, 3 * 2 * 3) and t.n_features_in_ == 216
    direct = wst.HarmonicScattering3D(1, (6, 6, 6), L=1)(X.reshape(12, 6, 6, 6))
    assert np.array_equal(F, direct.reshape(12, -1))
    assert np.array_equal(t.transform(X.reshape(12, 6, 6, 6)), F)
    assert clone(t).get_params() == t.get_params()
    make_pipeline(t, Ridge()).fit(X, y)
    assert isinstance(wst.HarmonicScattering3D(1, (6, 6, 6), frontend='sklearn'),
                      wst.sklearn.HarmonicScattering3D)
    assert np.array_equal(pickle.loads(pickle.dumps(t)).transform(X), F)


def test_cli_matches_python(tmp_path):
    x = np.random.default_rng(3).standard_normal((2, 8, 6, 10))
    np.save(tmp_path / "x.npy", x)
    r = subprocess.run([str(cli_path()), "scatter3d", "--J", "1", "--L", "2", "--plan", "estimate",
                        str(tmp_path / "x.npy"), str(tmp_path / "S.npy")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    got = np.load(tmp_path / "S.npy")
    assert got.dtype == np.float64
    want = wst.HarmonicScattering3D(1, (8, 6, 10), L=2)(x)
    assert np.array_equal(got.astype(np.float32), want)
