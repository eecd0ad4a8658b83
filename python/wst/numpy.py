"""NumPy front end, mirroring ``kymatio.numpy``: ``from wst.numpy import Scattering2D``."""
from ._scattering import Scattering1D, Scattering2D
from ._jtfs import TimeFrequencyScattering

__all__ = ['Scattering1D', 'Scattering2D', 'TimeFrequencyScattering']
