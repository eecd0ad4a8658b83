"""wst.Scattering2D as a Kymatio 0.4 user meets it: tests written the way Kymatio's own NumPy
frontend tests are (construct, compare with stored data, ``pytest.raises(Type, match=...)``,
attribute checks), with only the import changed. Options, messages and attributes:
docs/scattering-options.md §2 and §3.2; references: shared/reference/kymatio (v04-more).
"""
import io
import pickle
from collections import namedtuple

import numpy as np
import pytest

from conftest import kymatio_ref

from wst import Scattering2D                 # was: from kymatio import Scattering2D
from wst.numpy import Scattering2D as NumpyScattering2D   # was: from kymatio.numpy import ...


def _more(name):
    return np.load(kymatio_ref(f"v04-more/{name}"))


def _rel(a, b):
    return float(np.max(np.abs(np.asarray(a, np.float64) - b)) / np.max(np.abs(b)))


class TestScatteringNumPy2D:
    def test_Scattering2D(self):
        with open(kymatio_ref("test_data_2d.npz"), "rb") as f:
            buffer = io.BytesIO(f.read())
            data = np.load(buffer)
        x, S, J, pre_pad = data["x"], data["Sx"], data["J"], data["pre_pad"]
        M, N = x.shape[2], x.shape[3]
        scattering = Scattering2D(J, shape=(M, N), pre_pad=pre_pad, frontend="numpy",
                                  backend="numpy")
        Sg = scattering(x)
        assert np.allclose(Sg, S)
        scattering = Scattering2D(J, shape=(M, N), pre_pad=pre_pad, max_order=1,
                                  frontend="numpy", backend="numpy")
        S1x = scattering(x)
        assert np.allclose(S1x, S[..., :S1x.shape[-3], :, :])

    def test_inputs(self):
        fake_backend = namedtuple("backend", ["name"])
        fake_backend.name = "fake"
        with pytest.raises(ImportError) as ve:
            Scattering2D(2, shape=(10, 10), frontend="numpy", backend=fake_backend)
        assert "not supported" in ve.value.args[0]
        with pytest.raises(RuntimeError) as ve:
            Scattering2D(10, shape=(10, 10), frontend="numpy")
        assert "smallest dimension" in ve.value.args[0]

    def test_scattering2d_errors(self):
        S = Scattering2D(3, (32, 32), frontend="numpy")
        with pytest.raises(TypeError) as record:
            S(None)
        assert "input should be not empty" in record.value.args[0]
        x = np.random.randn(32)
        with pytest.raises(RuntimeError) as record:
            S(x)
        assert "have at least two dimensions" in record.value.args[0]
        x = np.random.randn(31, 31)
        with pytest.raises(RuntimeError) as record:
            S(x)
        assert "NumPy array must be of spatial size (32,32)." in record.value.args[0]
        S = Scattering2D(3, (32, 32), pre_pad=True, frontend="numpy")
        with pytest.raises(RuntimeError) as record:
            S(x)
        assert "Padded array must be of spatial size (48,48)." in record.value.args[0]
        S = Scattering2D(3, (32, 32), out_type="dict")  # not checked at construction
        with pytest.raises(RuntimeError, match="The out_type must be one of 'array' or 'list'."):
            S(np.random.randn(32, 32))
        S = Scattering2D(3, (32, 32))
        with pytest.raises(TypeError, match="The input should be real."):
            S(np.zeros((32, 32), np.complex128))

    def test_constructor_errors(self):
        with pytest.raises(TypeError, match="cannot unpack non-iterable int object"):
            Scattering2D(2, 32)
        with pytest.raises(ValueError, match=r"too many values to unpack \(expected 2\)"):
            Scattering2D(2, (32, 32, 32))
        with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
            Scattering2D(2.0, (32, 32))
        with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
            Scattering2D(2, (32, 32), L=6.5)
        with pytest.raises(TypeError):
            Scattering2D(-1, (32, 32))
        with pytest.raises(RuntimeError, match=r"smallest dimension should be larger than 2\^J"):
            Scattering2D(6, (32, 64))
        with pytest.raises(ImportError, match="The backend torch can not be called from the "
                                              "frontend numpy."):
            Scattering2D(2, (32, 32), backend="torch")
        with pytest.raises(ImportError, match="Backend numpyx not found!"):
            Scattering2D(2, (32, 32), backend="numpyx")
        with pytest.raises(RuntimeError, match="The frontend 'matlab\" is not valid."):
            Scattering2D(2, (32, 32), frontend="matlab")

    def test_wst_errors_are_value_errors_too(self):
        # wst's own contract: every bad argument or input is a ValueError (or TypeError for
        # a non-real input), naming what is wrong.
        with pytest.raises(ValueError, match=r"J=6: 2\^J=64 exceeds the smaller image side 32"):
            Scattering2D(6, (32, 64))
        with pytest.raises(ValueError, match=r"x has shape \(31, 31\)"):
            Scattering2D(3, (32, 32))(np.zeros((31, 31)))
        with pytest.raises(ValueError):
            Scattering2D(2, (32, 32), backend="jax")

    def test_L6_and_pre_pad_match_kymatio(self):
        x, ref = _more("s2d_J2_L6_32x32_x.npy"), _more("s2d_J2_L6_32x32_S.npy")
        S = Scattering2D(J=2, shape=(32, 32), L=6)
        assert S(x).shape == ref.shape == (2, 49, 8, 8)
        assert _rel(S(x), ref) <= 1e-6
        assert _rel(S(x.astype(np.float32)), ref) <= 1e-4
        xp, refp = _more("s2d_J2_L6_32x32_prepad_x.npy"), _more("s2d_J2_L6_32x32_prepad_S.npy")
        P = Scattering2D(J=2, shape=(32, 32), L=6, pre_pad=True)
        assert P(xp).shape == refp.shape
        assert _rel(P(xp), refp) <= 1e-6
        assert _rel(P(xp.astype(np.float32)), refp) <= 1e-4
        # The reflect-padded image with pre_pad is the same transform, bit for bit.
        np.testing.assert_array_equal(P(S.pad(x)), S(x))

    @pytest.mark.parametrize("pre_pad", [False, 0, np.bool_(False), np.array(False)])
    def test_pre_pad_false_in_every_spelling(self, pre_pad):
        S = Scattering2D(2, (32, 32), pre_pad=pre_pad)
        assert S.pre_pad is False
        assert S(np.ones((32, 32))).shape == (81, 8, 8)

    def test_list_output_has_kymatios_keys(self):
        x = _more("s2d_J2_L6_32x32_x.npy")
        meta = _more("s2d_J2_L6_32x32_list_meta.npy")  # order, j1, j2, theta1, theta2
        S = Scattering2D(J=2, shape=(32, 32), L=6, out_type="list")
        out = S(x)
        arr = Scattering2D(J=2, shape=(32, 32), L=6)(x)
        assert isinstance(out, list) and len(out) == 49
        for c, entry in enumerate(out):
            assert set(entry) == {"coef", "j", "n", "theta"}
            order, j1, j2, t1, t2 = (int(v) for v in meta[c])
            assert entry["j"] == tuple(v for v in (j1, j2) if v >= 0)[:order]
            assert entry["theta"] == tuple(v for v in (t1, t2) if v >= 0)[:order]
            assert entry["n"] == tuple(j * 6 + t for j, t in zip(entry["j"], entry["theta"]))
            np.testing.assert_array_equal(entry["coef"], arr[:, c])
        assert out[12]["j"] == (1,) and out[12]["n"] == (11,) and out[12]["theta"] == (5,)
        assert out[13]["n"] == (0, 6) and out[48]["n"] == (5, 11)

    def test_attributes(self):
        S = NumpyScattering2D(J=2, shape=(32, 32), L=8)
        assert (S.J, S.shape, S.L, S.max_order, S.pre_pad, S.out_type) == \
            (2, (32, 32), 8, 2, False, "array")
        assert (S._M_padded, S._N_padded) == (40, 40)
        assert S.pad.pad_size == [4, 4, 4, 4]
        assert S.frontend_name == "numpy" and S.backend == "numpy"
        phi = S.phi
        assert set(phi) == {"levels", "j"} and phi["j"] == 2
        assert [lv.shape for lv in phi["levels"]] == [(40, 40), (20, 20)]
        assert all(lv.dtype == np.float32 for lv in phi["levels"])
        for lv in phi["levels"]:
            assert lv[0, 0] == pytest.approx(1.0000294, abs=1e-7)
        psi = S.psi
        assert len(psi) == 16
        assert [(p["j"], p["theta"]) for p in psi[:9]] == [(0, t) for t in range(8)] + [(1, 0)]
        assert all(len(p["levels"]) == 1 for p in psi)  # min(j + 1, max(J - 1, 1))
        assert all(set(p) == {"levels", "j", "theta"} for p in psi)
        x = np.random.default_rng(0).standard_normal((32, 32))
        np.testing.assert_array_equal(S.unpad(S.pad(x)[None]), S.pad(x)[None][..., 1:-1, 1:-1])
        # Level 0 of each filter is the full-size filter of filters().
        np.testing.assert_array_equal(psi[3]["levels"][0], S.filters()["psi"][3].astype(np.float32))
        T = Scattering2D(J=3, shape=(64, 64))
        assert [len(p["levels"]) for p in T.psi[::8]] == [1, 2, 2]

    def test_max_order_as_kymatio_reads_it(self):
        x = np.random.default_rng(1).standard_normal((32, 32))
        one = Scattering2D(2, (32, 32), max_order=1)(x)
        assert one.shape[0] == 17
        np.testing.assert_array_equal(Scattering2D(2, (32, 32), max_order=0)(x), one)
        np.testing.assert_array_equal(Scattering2D(2, (32, 32), max_order=5)(x),
                                      Scattering2D(2, (32, 32))(x))

    def test_sklearn_frontend_and_pickling(self):
        import wst.sklearn
        T = Scattering2D(2, (28, 28), frontend="sklearn")
        assert isinstance(T, wst.sklearn.Scattering2D)
        S = Scattering2D(J=2, shape=(32, 32), L=6, pre_pad=True)
        R = pickle.loads(pickle.dumps(S))
        assert R == S and R.pre_pad is True
        xp = _more("s2d_J2_L6_32x32_prepad_x.npy")
        np.testing.assert_array_equal(R(xp), S(xp))
