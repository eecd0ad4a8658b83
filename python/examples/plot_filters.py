"""
Plot the 1D wavelet filters
===========================
The Morlet wavelets and the low-pass filter of a 1D scattering transform, in the Fourier domain,
read from the transform's ``phi_f``, ``psi1_f`` and ``psi2_f`` attributes as in Kymatio's
example. Written for Kymatio; only the import differs.
"""
import os
import sys

import matplotlib
matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt
import numpy as np

from wst.numpy import Scattering1D    # was: from kymatio.numpy import Scattering1D

###############################################################################
# The filter bank of a transform: T = 2^13 samples, J = 6, Q = 8 wavelets per octave
# ---------------------------------------------------------------------------------
T = 2 ** 13
J = 6
Q = 8
scattering = Scattering1D(J, T, Q)
phi_f, psi1_f, psi2_f = scattering.phi_f, scattering.psi1_f, scattering.psi2_f
N = len(phi_f['levels'][0])        # the padded length the filters are sampled at
omega = np.arange(N) / N

###############################################################################
# First order (Q = 8) and second order (Q = 1) filters, with the low-pass in red
# -----------------------------------------------------------------------------
fig, axes = plt.subplots(2, 1, figsize=(8, 6))
for ax, bank, q in ((axes[0], psi1_f, Q), (axes[1], psi2_f, 1)):
    ax.plot(omega, phi_f['levels'][0], 'r')
    for psi_f in bank:
        ax.plot(omega, psi_f['levels'][0], 'b')
    ax.set_xlim(0, 0.5)
    ax.set_ylim(0, 1.2)
    ax.set_xlabel(r'$\omega$')
    ax.set_ylabel(r'$\hat\psi_j(\omega)$')
    ax.set_title(f'Filters of order {1 if q == Q else 2} (Q = {q})')
fig.tight_layout()

# The Littlewood-Paley sum of the first-order bank: close to 1 where the wavelets are constant-Q
# (above about 0.035 cycles per sample), lower in the equally spaced part below it.
lp = phi_f['levels'][0] ** 2 + sum(p['levels'][0] ** 2 for p in psi1_f)
band = slice(int(0.035 * N), int(0.4 * N))
print(f"{len(psi1_f)} first-order and {len(psi2_f)} second-order wavelets, padded length {N}")
print(f"Littlewood-Paley sum on [0.035, 0.4): min {lp[band].min():.3f}, max {lp[band].max():.3f}")
out = sys.argv[1] if len(sys.argv) > 1 else "filters_1d.png"
fig.savefig(out, dpi=60)
print(f"wrote {out}")
