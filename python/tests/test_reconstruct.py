"""wst.reconstruct: gradient descent on ||Sx - Sy||^2 / ||Sy||^2 from white noise."""
import numpy as np
import pytest

import wst


def ring_digit():
    """A 28 x 28 "0" in [0, 1] (the C++ test's), so both sides see the same target."""
    r, c = np.mgrid[0:28, 0:28]
    d = np.hypot((r - 13.5) / 9.0, (c - 13.5) / 6.0)
    return np.exp(-((d - 1.0) / 0.22) ** 2)


def chirp(n):
    t = np.arange(n)
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * t / n)
    return hann * np.cos(2 * np.pi * (0.02 * t + 0.5 * (0.2 - 0.02) / n * t * t))


def test_digit_reaches_one_in_a_thousand():
    y = ring_digit()
    r = wst.reconstruct(y, J=2, order=2, iterations=500, tolerance=1e-3)
    assert r['stopped'] == 'tolerance'
    assert r['final']['scattering_error'] <= 1e-3
    assert r['history'][0]['scattering_error'] > 0.3
    assert r['signal'].shape == y.shape and r['signal'].dtype == np.float64
    assert r['start'].shape == y.shape
    np.testing.assert_array_equal(r['target'], y)
    # The aligned reconstruction is the signal error's witness.
    err = np.linalg.norm(r['aligned'] - y) / np.linalg.norm(y)
    assert err == pytest.approx(r['final']['signal_error'], rel=1e-9)
    assert r['coefficients'] == 81 * 7 * 7


def test_chirp_recovered_up_to_a_global_phase():
    y = chirp(1024)
    r = wst.reconstruct(y, J=4, order=2, Q=8, iterations=300)
    assert r['final']['scattering_error'] < 1e-3
    assert np.linalg.norm(r['aligned'] - y) / np.linalg.norm(y) < 2e-2
    assert r['config'] == {'J': 4, 'order': 2, 'L': 8, 'Q': 8, 'method': 'lbfgs',
                           'iterations': 300, 'tolerance': 0.0, 'learning_rate': 0.05, 'seed': 0,
                           'patience': 30}


def test_callback_sees_each_iterate_and_its_exception_stops_the_run():
    seen = []
    r = wst.reconstruct(ring_digit(), iterations=5, callback=seen.append)
    assert [s['iteration'] for s in seen] == [s['iteration'] for s in r['history']]
    assert seen[-1]['scattering_error'] == r['history'][-1]['scattering_error']

    def stop(step):
        if step['iteration'] == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        wst.reconstruct(ring_digit(), iterations=50, callback=stop)


def test_same_seed_same_bits_for_any_thread_count_and_a_float32_target():
    y = ring_digit()
    a = wst.reconstruct(y, iterations=10, threads=1)
    b = wst.reconstruct(y, iterations=10, threads=2)
    c = wst.reconstruct(y, iterations=10, seed=1)
    np.testing.assert_array_equal(a['signal'], b['signal'])
    assert not np.array_equal(a['start'], c['start'])
    f = wst.reconstruct(y.astype(np.float32), iterations=3, method='adam')
    assert f['config']['method'] == 'adam' and len(f['history']) == 4


@pytest.mark.parametrize('kwargs, message', [
    (dict(J=5), 'J: must be in 1 ... 4'),
    (dict(J=0), 'J: must be an integer >= 1'),
    (dict(order=3), 'order: must be 1 or 2'),
    (dict(order=True), 'order'),
    (dict(L=0), 'L: must be an integer >= 1'),
    (dict(Q=65), 'Q: must be an integer in [1, 64]'),
    (dict(method='sgd'), "method: must be 'lbfgs' or 'adam'"),
    (dict(iterations=0), 'iterations'),
    (dict(tolerance=-1), 'tolerance: must be a finite number >= 0'),
    (dict(tolerance=float('nan')), 'tolerance'),
    (dict(learning_rate=0), 'learning_rate: must be a finite number > 0'),
    (dict(seed=-1), 'seed'),
    (dict(patience=-1), 'patience: must be an integer >= 0'),
    (dict(threads=0), 'threads'),
    (dict(planning='patient'), 'planning'),
    (dict(callback=3), 'callback: must be None or callable'),
])
def test_bad_arguments_name_themselves(kwargs, message):
    with pytest.raises(ValueError, match=message.replace('[', r'\[').replace(']', r'\]')):
        wst.reconstruct(ring_digit(), **kwargs)


def test_bad_targets():
    y = ring_digit()
    with pytest.raises(ValueError, match=r'shape \(2, 28, 28\)'):
        wst.reconstruct(np.stack([y, y]))
    y[3, 4] = np.nan
    with pytest.raises(ValueError, match='NaN'):
        wst.reconstruct(y)
    with pytest.raises(ValueError, match='constant'):
        wst.reconstruct(np.full((16, 16), 0.5))
    with pytest.raises(TypeError, match='dtype'):
        wst.reconstruct(np.zeros((16, 16), dtype=complex))
