"""
Compute the scattering transform of a synthetic signal
======================================================
A signal made of harmonic sounds at several pitches, its scattering transform (J = 6, Q = 16),
and the coefficients of orders 0, 1 and 2 shown separately by means of ``meta()``, as in
Kymatio's example. Written for Kymatio; only the import differs.
"""
import os
import sys

import matplotlib
matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt
import numpy as np

from wst.numpy import Scattering1D    # was: from kymatio.numpy import Scattering1D


def generate_harmonic_signal(T, num_intervals=4, gamma=0.9, random_state=42):
    """Harmonic sounds: on each of num_intervals intervals a pitch (a random fundamental) with
    8 harmonics of decaying amplitudes gamma^k, under a Hann envelope."""
    rng = np.random.RandomState(random_state)
    support = T // num_intervals
    x = np.zeros(T, dtype=np.float32)
    t = np.arange(support)
    envelope = np.hanning(support)
    for i in range(num_intervals):
        f0 = rng.uniform(0.01, 0.05)  # cycles per sample
        note = sum(gamma ** k * np.cos(2 * np.pi * (k + 1) * f0 * t + rng.uniform(0, 2 * np.pi))
                   for k in range(8))
        x[i * support:(i + 1) * support] = envelope * note
    return x


###############################################################################
# The signal and its transform
# ----------------------------
T = 2 ** 13
J = 6
Q = 16
x = generate_harmonic_signal(T)
scattering = Scattering1D(J, T, Q)
Sx = scattering(x)
meta = scattering.meta()
order0 = np.where(meta['order'] == 0)
order1 = np.where(meta['order'] == 1)
order2 = np.where(meta['order'] == 2)
print(f"Sx {Sx.shape} {Sx.dtype}: {len(order0[0])} + {len(order1[0])} + {len(order2[0])} paths")

###############################################################################
# The three orders
# ----------------
fig, axes = plt.subplots(4, 1, figsize=(8, 8))
axes[0].plot(x)
axes[0].set_title('Original signal')
axes[1].plot(Sx[order0][0])
axes[1].set_title('Zeroth-order scattering')
axes[2].imshow(Sx[order1], aspect='auto')
axes[2].set_title('First-order scattering')
axes[3].imshow(Sx[order2], aspect='auto')
axes[3].set_title('Second-order scattering')
fig.tight_layout()
energy = [float(np.sum(Sx[o] ** 2)) for o in (order0, order1, order2)]
print("energy by order: " + ", ".join(f"{e:.4g}" for e in energy))
out = sys.argv[1] if len(sys.argv) > 1 else "synthetic_1d.png"
fig.savefig(out, dpi=60)
print(f"wrote {out}")
