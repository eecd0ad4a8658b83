"""Scattering1D and Scattering2D: drop-ins for kymatio.numpy's, computed by the C++ library."""
from ._scattering1d import Scattering1D
from ._scattering2d import Scattering2D

__all__ = ['Scattering1D', 'Scattering2D']
