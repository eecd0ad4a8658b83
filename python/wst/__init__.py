"""wst: wavelet scattering transforms and time-frequency tools, a faster drop-in for
``kymatio.numpy`` computed by a C++ library.

Scattering: :class:`Scattering1D`, :class:`Scattering2D`,
:class:`TimeFrequencyScattering`, :class:`HarmonicScattering3D` (also in ``wst.numpy``), and
scikit-learn transformers in ``wst.sklearn``. Time-frequency: :func:`stft`, :func:`istft`,
:func:`cwt`, :func:`octave_frequencies`, :func:`log_frequencies`, :func:`heisenberg`. Experiments
(``wst stability``, ``wst invariance``, ``wst energy`` as dicts): ``wst.lab``. Reconstruction
from scattering (``wst reconstruct``): :func:`reconstruct`; PyTorch modules: ``wst.torch``.
"""
from ._scattering import Scattering1D, Scattering2D
from ._jtfs import TimeFrequencyScattering
from ._harmonic3d import HarmonicScattering3D
from . import lab, numpy
from .lab import reconstruct
from ._time_frequency import (cwt, heisenberg, istft, log_frequencies,
                              octave_frequencies, stft)

__version__ = "0.1.0"

__all__ = ['Scattering1D', 'Scattering2D', 'lab', 'numpy', 'stft', 'istft', 'cwt', 'octave_frequencies',
           'log_frequencies', 'heisenberg', 'reconstruct', 'TimeFrequencyScattering',
           'HarmonicScattering3D', '__version__']
