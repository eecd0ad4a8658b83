"""scikit-learn transformers computing flattened scattering coefficients, a drop-in for Kymatio's
sklearn front end (``kymatio.sklearn``, docs/PYTHON.md "scikit-learn").

They take every parameter of the NumPy front end (plus ``threads`` and ``planning``). As
scikit-learn asks, ``__init__`` only stores its parameters, so clone / get_params / set_params,
Pipeline and GridSearchCV work; the transform is built, and its parameters checked (ValueError
naming the parameter, or the Kymatio-typed error of the NumPy front end), on first use, and
rebuilt when a parameter changes. ``transform`` (alias ``predict``, as in Kymatio) reshapes the
rows as Kymatio does: ``X.reshape((-1,) + shape)``, so a row may hold several signals or images
(e.g. the three channels of a colour image), and the result is ``(n_samples, n_features)``.
"""
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from . import _harmonic3d, _scattering
from ._errors import kymatio_error

__all__ = ['Scattering1D', 'Scattering2D', 'HarmonicScattering3D']


class _ScatteringTransformer(TransformerMixin, BaseEstimator):
    """Shared fit/transform; subclasses name the wst transform and its parameters."""

    frontend_name = 'sklearn'

    def _transform_params(self):
        params = self.get_params(deep=False)
        if np.ndim(params['shape']):
            params['shape'] = tuple(params['shape'])  # a list from a parameter grid
        return params

    def _scattering(self):
        """The wst transform for the current parameters, built once per parameter set."""
        params = self._transform_params()
        cached = self.__dict__.get('_built')
        if cached is None or cached[0] != params:
            cached = (params, self._wst_class(**params))
            self.__dict__['_built'] = cached
        return cached[1]

    def scattering(self, x):
        """The NumPy front end's transform of ``x`` (shape (..., *shape)), as Kymatio's
        ``scattering`` method: an array, or a list/dict with ``out_type``."""
        return self._scattering()(x)

    def fit(self, X=None, y=None):
        """Nothing to learn: builds the transform (checking the parameters), checks X if given
        (as transform does, without computing), records ``n_features_in_`` and returns self."""
        S = self._scattering()
        if X is not None:
            X, _, _ = self._rows(S, X)
            self.n_features_in_ = X.shape[-1]
        return self

    def _rows(self, S, X):
        """X checked as scikit-learn checks input (ValueError for sparse, complex, empty or
        non-finite data), and how it splits into inputs: (X, input shape, batch shape)."""
        if hasattr(X, 'toarray') and hasattr(X, 'nnz'):  # scipy.sparse, without importing it
            raise TypeError("A sparse matrix was passed, but dense data is required. Use "
                            "X.toarray() to convert to a dense numpy array.")
        X = np.asarray(X)
        if X.dtype.kind == 'c':
            raise kymatio_error(TypeError, "The input should be real.",
                                f"Complex data not supported: X has dtype {X.dtype}")
        if X.dtype.kind == 'O':
            X = X.astype(np.float64)
        if X.size == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum "
                             "of 1 is required.")
        if X.dtype.kind == 'f' and not np.all(np.isfinite(X)):
            raise ValueError("Input contains NaN, infinity or a value too large for "
                             f"{X.dtype!r}.")
        shape = tuple(getattr(S._core, 'input_shape', S.shape))  # pre_pad: the padded size
        size = int(np.prod(shape))
        if X.ndim == 1 + len(shape) and X.shape[1:] == shape and len(shape) > 1:
            batch = X.shape[:1]  # (n_samples, M, N): one image a row
        elif X.ndim >= 1 and X.shape[-1] % size == 0 and X.shape[-1] > 0:
            batch = X.shape[:-1]
        else:
            raise ValueError(f"X of shape {X.shape} does not fit: its last axis must hold a "
                             f"multiple of prod(shape) = {size} values (rows of flattened inputs "
                             f"of shape {shape})")
        return X, shape, batch

    def transform(self, X):
        """X (..., k · prod(shape)) → (..., k · n_features) as Kymatio reshapes it; an array
        (n_samples, *shape) of unflattened inputs is accepted too."""
        S = self._scattering()
        if S.out_type != 'array':
            raise ValueError(f"out_type={S.out_type!r}: transform returns rows of an array; "
                             "use out_type='array' (or call .scattering())")
        X, shape, batch = self._rows(S, X)
        return S(X.reshape((-1,) + shape)).reshape(batch + (-1,))

    def predict(self, X):
        """Same as :meth:`transform` (Kymatio's name)."""
        return self.transform(X)

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop('_built', None)  # rebuilt on first use after unpickling
        return state

    def _more_tags(self):
        return {'stateless': True, 'requires_fit': False}


class Scattering1D(_ScatteringTransformer):
    """1D scattering as a scikit-learn transformer: rows of X hold signals of length N.

    Parameters
    ----------
    J, shape, Q, T, stride, max_order, oversampling, out_type, backend : as
        :class:`wst.Scattering1D` (Kymatio's ``Scattering1D``).
    threads : int, optional
        Threads splitting the batch (default os.cpu_count()).
    planning : {'estimate', 'measure'}, default 'estimate'
    """

    _wst_class = _scattering.Scattering1D

    def __init__(self, J, shape, Q=1, T=None, stride=None, max_order=2, oversampling=0,
                 out_type='array', backend='numpy', threads=None, planning='estimate'):
        self.J = J
        self.shape = shape
        self.Q = Q
        self.T = T
        self.stride = stride
        self.max_order = max_order
        self.oversampling = oversampling
        self.out_type = out_type
        self.backend = backend
        self.threads = threads
        self.planning = planning

    def _transform_params(self):
        params = super()._transform_params()
        if np.ndim(params['Q']) != 0:
            params['Q'] = tuple(params['Q'])  # a list from a parameter grid
        return params


class Scattering2D(_ScatteringTransformer):
    """2D scattering as a scikit-learn transformer: rows of X hold images of shape (M, N),
    flattened (several per row, e.g. colour channels) or not.

    Parameters
    ----------
    J, shape, L, max_order, pre_pad, out_type, backend : as :class:`wst.Scattering2D`
        (Kymatio's ``Scattering2D``).
    threads : int, optional
        Threads splitting the batch (default os.cpu_count()).
    planning : {'estimate', 'measure'}, default 'estimate'
    """

    _wst_class = _scattering.Scattering2D

    def __init__(self, J, shape, L=8, max_order=2, pre_pad=False, out_type='array',
                 backend='numpy', threads=None, planning='estimate'):
        self.J = J
        self.shape = shape
        self.L = L
        self.max_order = max_order
        self.pre_pad = pre_pad
        self.out_type = out_type
        self.backend = backend
        self.threads = threads
        self.planning = planning


class HarmonicScattering3D(_ScatteringTransformer):
    """Solid-harmonic 3D scattering as a scikit-learn transformer: rows of X hold volumes of
    shape (M, N, O), flattened (several per row) or not; each row's features are the
    P · (L+1) · Q invariants (float32, as Kymatio).

    Parameters
    ----------
    J, shape, L, sigma_0, max_order, rotation_covariant, method, points, integral_powers,
    backend : as :class:`wst.HarmonicScattering3D` (Kymatio's ``HarmonicScattering3D``).
    threads : int, optional
        Threads (default os.cpu_count()).
    planning : {'estimate', 'measure'}, default 'estimate'
    """

    _wst_class = _harmonic3d.HarmonicScattering3D

    def __init__(self, J, shape, L=3, sigma_0=1, max_order=2, rotation_covariant=True,
                 method='integral', points=None, integral_powers=(0.5, 1., 2.), backend='numpy',
                 threads=None, planning='estimate'):
        self.J = J
        self.shape = shape
        self.L = L
        self.sigma_0 = sigma_0
        self.max_order = max_order
        self.rotation_covariant = rotation_covariant
        self.method = method
        self.points = points
        self.integral_powers = integral_powers
        self.backend = backend
        self.threads = threads
        self.planning = planning

    def _transform_params(self):
        params = super()._transform_params()
        params['integral_powers'] = tuple(params['integral_powers'])
        return params
