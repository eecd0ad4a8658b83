"""NumPy front end, mirroring ``kymatio.numpy``: ``from wst.numpy import Scattering2D``."""
from ._scattering import Scattering1D, Scattering2D
from ._jtfs import TimeFrequencyScattering
from ._harmonic3d import HarmonicScattering3D

__all__ = ['Scattering1D', 'Scattering2D', 'TimeFrequencyScattering', 'HarmonicScattering3D']
