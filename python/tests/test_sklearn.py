"""wst.sklearn: the scikit-learn transformers (clone, get_params/set_params, fit/transform on
flattened or shaped input, Pipeline, GridSearchCV over J and max_order, pickle of a fitted
pipeline)."""
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import wst
import wst.sklearn
from conftest import mnist_digits


def rng():
    return np.random.default_rng(0)


def tones(n_per_class=20, N=256):
    """Two classes of noisy tones (0.05 and 0.12 cycles/sample) with random phases: (2n, N)."""
    g = rng()
    t = np.arange(N)
    X, y = [], []
    for label, f in enumerate((0.05, 0.12)):
        for _ in range(n_per_class):
            phase = g.uniform(0, 2 * np.pi)
            X.append(np.cos(2 * np.pi * f * t + phase) + 0.3 * g.standard_normal(N))
            y.append(label)
    return np.array(X), np.array(y)


# ---- parameters ----------------------------------------------------------------------------------

def test_get_params_lists_exactly_the_constructor_arguments():
    T2 = wst.sklearn.Scattering2D(J=2, shape=(28, 28))
    assert T2.get_params() == {"J": 2, "shape": (28, 28), "L": 8, "max_order": 2, "threads": None}
    T1 = wst.sklearn.Scattering1D(J=5, shape=256, Q=8)
    assert T1.get_params() == {"J": 5, "shape": 256, "Q": 8, "T": None, "max_order": 2,
                               "threads": None}


def test_clone_copies_parameters_not_state():
    T = wst.sklearn.Scattering2D(J=3, shape=(32, 32), L=4, max_order=1, threads=1)
    X = rng().standard_normal((4, 32 * 32))
    T.fit(X)
    C = clone(T)
    assert C is not T and type(C) is type(T)
    assert C.get_params() == T.get_params()
    np.testing.assert_array_equal(C.fit(X).transform(X), T.transform(X))


def test_set_params_changes_the_transform():
    X = rng().standard_normal((3, 28, 28))
    T = wst.sklearn.Scattering2D(J=1, shape=(28, 28))
    assert T.set_params(J=2, L=4) is T
    assert T.get_params()["J"] == 2 and T.get_params()["L"] == 4
    F = T.fit(X).transform(X)
    S = wst.Scattering2D(J=2, shape=(28, 28), L=4)
    assert F.shape == (3, S.output_size() * 7 * 7)
    np.testing.assert_array_equal(F, S(X).reshape(3, -1))


def test_init_only_stores_parameters():
    # sklearn's rule: __init__ validates nothing, so even a bad J constructs; fitting or
    # transforming with it raises.
    T = wst.sklearn.Scattering2D(J=99, shape=(28, 28))
    assert T.J == 99
    with pytest.raises(ValueError, match="J=99"):
        T.fit(np.zeros((2, 28 * 28))).transform(np.zeros((2, 28 * 28)))


# ---- transform -----------------------------------------------------------------------------------

def test_2d_transform_of_flat_and_shaped_input_is_the_flattened_scattering():
    X = rng().standard_normal((5, 28, 28)).astype(np.float32)
    T = wst.sklearn.Scattering2D(J=2, shape=(28, 28))
    assert T.fit(X.reshape(5, -1)) is T
    flat = T.transform(X.reshape(5, -1))
    shaped = T.transform(X)
    expected = wst.Scattering2D(J=2, shape=(28, 28))(X).reshape(5, -1)
    assert flat.shape == (5, 81 * 49)
    np.testing.assert_array_equal(flat, expected)
    np.testing.assert_array_equal(shaped, expected)
    np.testing.assert_array_equal(T.fit_transform(X.reshape(5, -1)), expected)


def test_1d_transform_is_the_flattened_scattering():
    X, _ = tones(3)
    T = wst.sklearn.Scattering1D(J=4, shape=256, Q=4, T=32, max_order=1)
    F = T.fit(X).transform(X)
    S = wst.Scattering1D(J=4, shape=256, Q=4, T=32, max_order=1)
    assert F.shape == (6, S.output_size() * 256 // 32)
    np.testing.assert_array_equal(F, S(X).reshape(6, -1))


def test_transform_rejects_the_wrong_number_of_features():
    T = wst.sklearn.Scattering2D(J=2, shape=(28, 28)).fit(np.zeros((2, 784)))
    with pytest.raises(ValueError):
        T.transform(np.zeros((2, 783)))


# ---- Pipeline, GridSearchCV, pickle --------------------------------------------------------------

def test_1d_pipeline_separates_two_tones():
    X, y = tones(20)
    model = Pipeline([("scattering", wst.sklearn.Scattering1D(J=5, shape=256, Q=8)),
                      ("scaler", StandardScaler()),
                      ("classifier", LogisticRegression(max_iter=500))])
    model.fit(X[::2], y[::2])
    # Measured: 1.0 (the tones are 1.3 octaves apart); chance is 0.5.
    assert model.score(X[1::2], y[1::2]) >= 0.9


def test_grid_search_over_J_and_max_order():
    X, y = mnist_digits(12)
    X = X.reshape(len(X), -1)
    model = Pipeline([("scattering", wst.sklearn.Scattering2D(J=1, shape=(28, 28), L=4)),
                      ("scaler", StandardScaler()),
                      ("classifier", LogisticRegression(C=0.5, max_iter=200))])
    grid = {"scattering__J": [1, 2], "scattering__max_order": [1, 2]}
    search = GridSearchCV(model, grid, cv=StratifiedKFold(2, shuffle=True, random_state=0))
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_params_["scattering__J"] in (1, 2)
    assert search.best_params_["scattering__max_order"] in (1, 2)
    best = search.best_estimator_.named_steps["scattering"]
    assert best.get_params()["J"] == search.best_params_["scattering__J"]
    # 120 digits, 2 folds: measured best mean score 0.775 (J=2, max_order=2); chance is 0.10.
    assert search.best_score_ >= 0.5


def test_pickle_of_a_fitted_pipeline():
    X, y = mnist_digits(10)
    X = X.reshape(len(X), -1)
    model = Pipeline([("scattering", wst.sklearn.Scattering2D(J=2, shape=(28, 28), threads=1)),
                      ("classifier", LogisticRegression(max_iter=200))])
    model.fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    np.testing.assert_array_equal(restored.predict_proba(X), model.predict_proba(X))
    params = model.named_steps["scattering"].get_params()
    assert restored.named_steps["scattering"].get_params() == params
