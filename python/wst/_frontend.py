"""What Scattering1D and Scattering2D share: calling, list output, pickling, equality."""
import numpy as np

from . import _checks
from ._errors import kymatio_error


def _check_backend(backend):
    """Kymatio's ``backend`` argument: None, 'numpy', or an object whose ``name`` starts with
    'numpy' (the transform always runs in C++); Kymatio's ImportError otherwise."""
    if backend is None:
        return 'numpy'
    if isinstance(backend, str):
        if backend == 'numpy':
            return 'numpy'
        if backend.startswith('numpy'):
            raise kymatio_error(ImportError, f"Backend {backend} not found!",
                                "the NumPy frontend's backend is 'numpy'")
        raise kymatio_error(ImportError, f"The backend {backend} can not be called from the "
                            "frontend numpy.", "use backend='numpy' or leave it out")
    name = getattr(backend, 'name', None)
    if isinstance(name, str) and name.startswith('numpy'):
        return 'numpy'
    raise kymatio_error(ImportError, f"The backend {name if name is not None else backend!r} is "
                        "not supported by the frontend numpy.", "use backend='numpy' or leave it out")


_FRONTENDS = ('numpy', 'tensorflow', 'torch', 'jax', 'sklearn', 'keras')


def _frontend_class(frontend, name):
    """The class that ``wst.<name>(..., frontend=...)`` builds, as ``kymatio.<name>`` does:
    'numpy' (the default) and 'sklearn'; Kymatio's RuntimeError for an unknown name."""
    key = frontend.lower() if isinstance(frontend, str) else frontend
    if key not in _FRONTENDS:
        known = "', '".join(_FRONTENDS[:-1])
        raise kymatio_error(RuntimeError, f"The frontend '{frontend}\" is not valid. Must be one "
                            f"of '{known}', or '{_FRONTENDS[-1]}'.",
                            "wst has the frontends 'numpy' and 'sklearn'")
    if key == 'numpy':
        return None
    if key == 'sklearn':
        from . import sklearn
        return getattr(sklearn, name)
    raise kymatio_error(ImportError, f"The frontend {key} is not available in wst",
                        "use frontend='numpy' (or 'sklearn'): the same numbers, computed in C++")


def _as_tuple(value):
    """An int (or 0-d array) as a 1-tuple, a sequence as a tuple, anything else as ()."""
    if isinstance(value, (str, bytes)):
        return ()
    if np.ndim(value) == 0:
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        return ()


class _ScatteringBase:
    """What the 1D and 2D front ends share: calling, list output, pickling."""

    _core = None

    def __new__(cls, *args, frontend='numpy', **kwargs):
        # kymatio.Scattering2D(..., frontend='sklearn') builds the sklearn transformer.
        other = _frontend_class(frontend, cls.__name__)
        if other is not None:
            return other(*args, **kwargs)
        return super().__new__(cls)

    def __call__(self, x):
        """Scattering transform of ``x``; see the class docstring."""
        if self.out_type == 'array':
            return self._core(_checks.real_input(x))
        _checks.out_type(self.out_type)
        return self._as_list(self._core(_checks.real_input(x)))

    def scattering(self, x):
        """Same as ``self(x)``."""
        return self(x)

    def _as_list(self, out):
        """Kymatio's out_type='list': one dict per channel, 'coef' a view of ``out``."""
        axis = out.ndim - self._out_core_ndim  # the channel axis
        result = []
        for c, labels in enumerate(self._labels()):
            entry = {'coef': out[(slice(None),) * axis + (c,)]}
            entry.update(labels)
            result.append(entry)
        return result

    def _bench_cpp_seconds(self, x, repeats):
        """Mean seconds of one C++ transform of ``x`` (shape (B, ...)), over ``repeats`` runs
        on preallocated buffers with the GIL released (std::chrono::steady_clock)."""
        repeats = _checks.integer(repeats, 'repeats', 1)
        return self._core.bench_seconds(_checks.real_input(x), repeats)

    def output_size(self, detail=False):
        """Number of output channels C; with ``detail=True`` the count per order."""
        if detail:
            order = self._meta_cached()['order']
            return tuple(int(np.count_nonzero(order == m)) for m in range(int(order.max()) + 1))
        return self._core.channels

    def _meta_cached(self):
        if self._meta is None:
            self._meta = self._core.meta()
        return self._meta

    # Pickling (and copy/deepcopy) rebuilds the transform from its parameters.
    def __getstate__(self):
        return dict(self._params, out_type=self.out_type)

    def __setstate__(self, state):
        self.__init__(**state)

    def __eq__(self, other):
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()

    def __hash__(self):
        # Over the construction parameters only: out_type may be reassigned.
        return hash((type(self).__name__, tuple(sorted(self._params.items()))))

    def __repr__(self):
        args = ', '.join(f"{k}={v!r}" for k, v in self.__getstate__().items())
        return f"{type(self).__name__}({args})"
