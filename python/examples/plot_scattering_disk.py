"""
Scattering disk display
=======================
The 2D scattering coefficients of an image, drawn on a disk as in Kymatio's example: order 1
by scale (radius, finer scales outside) and orientation (angle), order 2 as a grid of such disks,
one per first-order path. The image is a synthetic digit-like stroke pattern (no download).
Written for Kymatio; only the import differs.
"""
import os
import sys

import matplotlib
matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Wedge

from wst.numpy import Scattering2D    # was: from kymatio.numpy import Scattering2D

###############################################################################
# An image: an oriented stroke and a ring, 32 x 32
# ------------------------------------------------
M = N = 32
u, v = np.meshgrid(np.arange(M) - M / 2, np.arange(N) - N / 2, indexing='ij')
stroke = np.exp(-((u * np.cos(0.6) + v * np.sin(0.6)) ** 2) / 4) * (np.abs(u) < 12)
ring = np.exp(-(np.hypot(u, v) - 9) ** 2 / 3)
img = (stroke + 0.6 * ring).astype(np.float32)

###############################################################################
# The transform: J = 3 scales, L = 6 orientations, averaged over the whole image
# -----------------------------------------------------------------------------
L, J = 6, 3
scattering = Scattering2D(J=J, shape=(M, N), L=L, max_order=2, frontend='numpy')
coefficients = scattering(img)                 # (C, M / 2^J, N / 2^J)
energy = coefficients.mean(axis=(-2, -1))      # one number per path
s1 = energy[1:1 + J * L].reshape(J, L)         # order 1 by (j1, theta1)
print(f"{coefficients.shape[0]} paths, order 1 energy by scale: "
      + ", ".join(f"{e:.4g}" for e in s1.sum(axis=1)))


def disk(ax, values, title):
    """Wedges: radius by scale (j = 0 outside), angle by orientation (and its mirror)."""
    patches, colors = [], []
    for j in range(J):
        for t in range(L):
            for half in (0, 180):
                a0 = half + t * 180 / L
                patches.append(Wedge((0, 0), J - j, a0, a0 + 180 / L, width=1))
                colors.append(values[j, t])
    collection = PatchCollection(patches, cmap='magma')
    collection.set_array(np.array(colors))
    ax.add_collection(collection)
    ax.set_xlim(-J, J)
    ax.set_ylim(-J, J)
    ax.set_aspect('equal')
    ax.axis('off')
    ax.set_title(title, fontsize=8)


###############################################################################
# Order 1 on one disk, order 2 on one disk per first-order path of scale j1 = 0
# ---------------------------------------------------------------------------
fig, axes = plt.subplots(1, 1 + L, figsize=(2.2 * (1 + L), 2.6))
disk(axes[0], s1, "order 1")
order2 = scattering.meta()["order"] == 2
keys = [k for k, o in zip(scattering.meta()["key"], order2) if o]
e2 = dict(zip(keys, energy[order2]))
for t1 in range(L):
    grid = np.zeros((J, L))
    for (n1, n2), e in e2.items():
        if n1 == t1:  # j1 = 0, theta1 = t1
            grid[n2 // L, n2 % L] = e
    disk(axes[1 + t1], grid, f"order 2, j1 = 0, theta1 = {t1}")
out = sys.argv[1] if len(sys.argv) > 1 else "scattering_disk.png"
fig.savefig(out, dpi=60)
print(f"wrote {out}")
