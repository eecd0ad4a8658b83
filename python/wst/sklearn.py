"""scikit-learn transformers computing flattened scattering coefficients, like Kymatio's sklearn
front end (``kymatio.sklearn``).

``__init__`` only stores its parameters, so clone / get_params / set_params, Pipeline and
GridSearchCV work; the transform is built on first use (and rebuilt when a parameter changes).
"""
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from . import _scattering

__all__ = ['Scattering1D', 'Scattering2D']


class _ScatteringTransformer(TransformerMixin, BaseEstimator):
    """Shared fit/transform; subclasses name the wst transform and its parameters."""

    def _transform_params(self):
        raise NotImplementedError

    def _shape(self):
        s = self.shape
        return (int(s),) if np.ndim(s) == 0 else tuple(int(v) for v in s)

    def _scattering(self):
        """The wst transform for the current parameters, built once per parameter set."""
        params = self._transform_params()
        cached = self.__dict__.get('_built')
        if cached is None or cached[0] != params:
            cached = (params, self._wst_class(**params))
            self.__dict__['_built'] = cached
        return cached[1]

    def fit(self, X=None, y=None):
        """Nothing to learn: builds the transform (checking the parameters) and returns self."""
        self._scattering()
        return self

    def transform(self, X):
        """X (n_samples, prod(shape)) or (n_samples, *shape) → (n_samples, n_features)."""
        X = np.asarray(X)
        shape = self._shape()
        if X.ndim < 1:
            raise ValueError(f"X of shape {X.shape} does not fit: expected (n_samples, ...)")
        n = X.shape[0]
        if X.shape[1:] == shape:
            pass
        elif X.ndim == 2 and X.shape[1] == int(np.prod(shape)):
            X = X.reshape((n,) + shape)
        else:
            raise ValueError(f"X of shape {X.shape} does not fit: expected (n_samples, "
                             f"{int(np.prod(shape))}) or (n_samples, {', '.join(map(str, shape))})")
        return self._scattering()(X).reshape(n, -1)

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop('_built', None)  # rebuilt on first use after unpickling
        return state

    def _more_tags(self):
        return {'stateless': True, 'requires_fit': False}


class Scattering1D(_ScatteringTransformer):
    """1D scattering as a scikit-learn transformer: rows of X are signals of length N.

    Parameters
    ----------
    J, shape, Q, T, max_order : as :class:`wst.Scattering1D`
    threads : int, optional
        Threads splitting the batch (default os.cpu_count()).
    """

    _wst_class = _scattering.Scattering1D

    def __init__(self, J, shape, Q=1, T=None, max_order=2, threads=None):
        self.J = J
        self.shape = shape
        self.Q = Q
        self.T = T
        self.max_order = max_order
        self.threads = threads

    def _transform_params(self):
        Q = self.Q if np.ndim(self.Q) == 0 else tuple(self.Q)
        return dict(J=self.J, shape=self._shape(), Q=Q, T=self.T, max_order=self.max_order,
                    threads=self.threads)


class Scattering2D(_ScatteringTransformer):
    """2D scattering as a scikit-learn transformer: rows of X are images of shape (M, N),
    flattened or not.

    Parameters
    ----------
    J, shape, L, max_order : as :class:`wst.Scattering2D`
    threads : int, optional
        Threads splitting the batch (default os.cpu_count()).
    """

    _wst_class = _scattering.Scattering2D

    def __init__(self, J, shape, L=8, max_order=2, threads=None):
        self.J = J
        self.shape = shape
        self.L = L
        self.max_order = max_order
        self.threads = threads

    def _transform_params(self):
        return dict(J=self.J, shape=self._shape(), L=self.L, max_order=self.max_order,
                    threads=self.threads)
