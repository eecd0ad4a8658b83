"""Exceptions of Kymatio's types (docs/PYTHON.md, "Errors").

Where Kymatio 0.4 raises RuntimeError, NotImplementedError, TypeError, ImportError, KeyError or
IndexError, wst raises an instance of that type which is also a ValueError (a TypeError where
Kymatio's AttributeError meets a non-array input), so that code written
for either library catches it: ``except RuntimeError`` as with Kymatio, ``except ValueError`` as
with wst. Each message starts with Kymatio's own sentence (what ``pytest.raises(match=...)`` in
Kymatio's tests looks for) and goes on with wst's: the argument, its value and the allowed range.
"""

__all__ = ['ScatteringRuntimeError', 'ScatteringNotImplementedError', 'ScatteringTypeError',
           'ScatteringImportError', 'ScatteringKeyError', 'ScatteringIndexError',
           'ScatteringAssertionError', 'ScatteringAttributeError', 'kymatio_error']


class ScatteringRuntimeError(RuntimeError, ValueError):
    """Kymatio raises RuntimeError here (e.g. 2**J larger than the image, wrong input size)."""


class ScatteringNotImplementedError(NotImplementedError, ValueError):
    """Kymatio raises NotImplementedError here (e.g. Q with three or more entries)."""


class ScatteringTypeError(TypeError, ValueError):
    """Kymatio raises TypeError here (e.g. a non-integer J or L, T a string other than 'global')."""


class ScatteringImportError(ImportError, ValueError):
    """Kymatio raises ImportError here (a backend the NumPy frontend cannot call)."""


class ScatteringKeyError(KeyError, ValueError):
    """Kymatio raises KeyError here (a stride beyond the stored filter levels)."""

    def __str__(self):  # KeyError's repr-quoting would hide the sentence
        return str(self.args[0]) if self.args else ''


class ScatteringIndexError(IndexError, ValueError):
    """Kymatio raises IndexError here (max_order=0, a filter level Kymatio does not store)."""


class ScatteringAssertionError(AssertionError, ValueError):
    """Kymatio's filter-bank assertion fails here (ξ must decrease along every path)."""


class ScatteringAttributeError(AttributeError, TypeError):
    """Kymatio raises AttributeError here (an input without ``.shape``); wst raises TypeError for
    a non-array input, so this is one too."""


_TYPES = {
    RuntimeError: ScatteringRuntimeError,
    NotImplementedError: ScatteringNotImplementedError,
    TypeError: ScatteringTypeError,
    ImportError: ScatteringImportError,
    KeyError: ScatteringKeyError,
    IndexError: ScatteringIndexError,
    AssertionError: ScatteringAssertionError,
}


def kymatio_error(kind, kymatio_message, detail=''):
    """The exception to raise where Kymatio raises ``kind`` with ``kymatio_message``.

    ``detail`` (wst's words: argument, value, allowed range) follows Kymatio's sentence."""
    message = kymatio_message if not detail else f"{kymatio_message} ({detail})"
    if kind is ValueError:
        return ValueError(message)
    return _TYPES[kind](message)
