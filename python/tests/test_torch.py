"""wst.torch: Scattering1D/2D as torch.nn.Modules with Kymatio's torch signature, differentiable
through the C++ reverse pass (docs/scattering-gradients.md): gradients against kymatio.torch's
autograd (shared/reference/kymatio/v04-more/grad_*), torch.autograd.gradcheck in float64, use
inside a network, and the errors of bad input."""
import subprocess
import sys

import numpy as np
import pytest
import torch  # python3-torch, installed by make test (scripts/install-deps.sh)

import wst
import wst.torch as wt
from conftest import kymatio_ref


def _ref(name):
    return np.load(kymatio_ref(f"v04-more/{name}"))


def _rel(a, b):
    return float(np.max(np.abs(np.asarray(a) - b)) / np.max(np.abs(b)))


def _vjp(S, x, g, dtype=torch.float64):
    xt = torch.tensor(x, dtype=dtype, requires_grad=True)
    (S(xt) * torch.tensor(g, dtype=dtype)).sum().backward()
    return xt.grad.numpy()


# ---- gradients against kymatio.torch ------------------------------------------------------------

def test_1d_gradient_matches_kymatio_torch():
    x, g = _ref("grad_1d_J6_Q8_1024_x.npy"), _ref("grad_1d_J6_Q8_1024_g.npy")
    vjp = _ref("grad_1d_J6_Q8_1024_vjp.npy")
    S = wt.Scattering1D(J=6, shape=1024, Q=8)
    assert _rel(_vjp(S, x, g), vjp) <= 1e-8      # measured 6.7e-16 (float32 filters, as torch)
    assert _rel(_vjp(S, x, g, torch.float32), vjp) <= 1e-4


def test_2d_gradient_matches_kymatio_torch():
    x, g = _ref("grad_2d_J2_L8_32_x.npy"), _ref("grad_2d_J2_L8_32_g.npy")
    vjp = _ref("grad_2d_J2_L8_32_vjp.npy")
    S = wt.Scattering2D(J=2, shape=(32, 32), L=8)
    assert _rel(_vjp(S, x, g), vjp) <= 1e-6      # measured 1.5e-7 (Kymatio's float32 filters)
    assert _rel(_vjp(S, x, g, torch.float32), vjp) <= 1e-4


@pytest.mark.parametrize("make", [
    lambda: wt.Scattering1D(J=3, shape=64, Q=2),
    lambda: wt.Scattering1D(J=3, shape=64, Q=(2, 1), max_order=3),
    lambda: wt.Scattering1D(J=3, shape=64, T="global"),
    lambda: wt.Scattering1D(J=3, shape=64, T=16, stride=4),
    lambda: wt.Scattering2D(J=1, shape=(12, 10), L=4),
    lambda: wt.Scattering2D(J=2, shape=(16, 16), L=3, max_order=1),
], ids=["1d", "1d-order3", "1d-global", "1d-stride", "2d-nonsquare", "2d-order1"])
def test_gradcheck_in_float64(make):
    S = make()
    shape = (2,) + tuple(S.shape)
    x = torch.randn(*shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0),
                    requires_grad=True)
    assert torch.autograd.gradcheck(S, (x,), eps=1e-6, atol=1e-6, rtol=1e-4)


def test_no_averaging_list_output_is_differentiable():
    S = wt.Scattering1D(J=3, shape=64, T=0, out_type="list")
    x = torch.randn(64, dtype=torch.float64, generator=torch.Generator().manual_seed(1),
                    requires_grad=True)
    out = S(x)
    assert isinstance(out, list) and set(out[1]) == {"coef", "j", "n", "order"}
    sum(e["coef"].pow(2).sum() for e in out).backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()

    def f(v):
        return sum(e["coef"].pow(2).sum() for e in S(v))
    assert torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-6, rtol=1e-4)


# ---- the module ---------------------------------------------------------------------------------

def test_forward_is_the_numpy_transform():
    x = np.random.default_rng(2).standard_normal((3, 32, 32))
    np.testing.assert_array_equal(wt.Scattering2D(J=2, shape=(32, 32))(torch.tensor(x)).numpy(),
                                  wst.Scattering2D(J=2, shape=(32, 32))(x))
    s = np.random.default_rng(3).standard_normal((2, 512))
    y = wt.Scattering1D(J=5, shape=512, Q=8)(torch.tensor(s)).numpy()
    # kymatio.torch rounds the 1D filters to float32, kymatio.numpy does not.
    assert _rel(y, wst.Scattering1D(J=5, shape=512, Q=8)(s)) <= 1e-6


def test_kymatio_torch_signature_and_attributes():
    S = wt.Scattering2D(2, (28, 28), 8, 2, False, "torch", "array")
    assert isinstance(S, torch.nn.Module)
    assert (S.J, S.shape, S.L, S.frontend_name) == (2, (28, 28), 8, "torch")
    T = wt.Scattering1D(6, 1024, 8)
    assert T.Q == (8, 1) and len(T.psi1_f) == 38 and T.meta()["order"].shape == (T.output_size(),)
    assert S.scattering(torch.zeros(1, 28, 28)).shape == (1, 81, 7, 7)


def test_trains_inside_a_network():
    torch.manual_seed(0)
    net = torch.nn.Sequential(wt.Scattering2D(J=2, shape=(16, 16), L=4), torch.nn.Flatten(),
                              torch.nn.Linear(25 * 4 * 4, 2))
    x = torch.randn(8, 16, 16, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(net(x), torch.tensor([0, 1] * 4))
    loss.backward()
    assert net[2].weight.grad is not None and x.grad is not None
    assert float(x.grad.abs().sum()) > 0  # the scattering is in the graph, down to the input


# ---- bad input ----------------------------------------------------------------------------------

def test_bad_input_is_refused_clearly():
    S = wt.Scattering2D(J=1, shape=(8, 8))
    with pytest.raises(TypeError, match="The input should be a PyTorch Tensor."):
        S(np.zeros((8, 8)))
    with pytest.raises(TypeError, match="The input should be real."):
        S(torch.zeros(8, 8, dtype=torch.int64))
    with pytest.raises(TypeError, match="must be on the CPU"):
        S(torch.zeros(8, 8, device="meta"))
    with pytest.raises(RuntimeError, match="NumPy array must be of spatial size"):
        S(torch.zeros(8, 9))
    with pytest.raises(ImportError, match="can not be called from the frontend torch"):
        wt.Scattering2D(J=1, shape=(8, 8), backend="numpy")


def test_nan_in_the_gradient_and_double_backward_are_refused():
    S = wt.Scattering2D(J=1, shape=(8, 8))
    x = torch.randn(8, 8, dtype=torch.float64, requires_grad=True)
    y = S(x)
    with pytest.raises(ValueError, match="NaN"):
        y.backward(torch.full_like(y, float("nan")))
    x = torch.randn(8, 8, dtype=torch.float64, requires_grad=True)
    y = S(x)
    v = torch.ones_like(y, requires_grad=True)
    (g,) = torch.autograd.grad(y, x, v, create_graph=True)  # e.g. a gradient penalty
    with pytest.raises(RuntimeError, match="differentiate twice"):
        g.sum().backward()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_1d_taped_reverse_pass_gives_the_recomputing_pass_bits(dtype):
    # The 1D forward keeps a tape when a gradient is wanted; the reverse pass reads it.
    S = wt.Scattering1D(J=4, shape=256, Q=(4, 2), max_order=2)
    rng = np.random.default_rng(7)
    x = torch.tensor(rng.standard_normal((2, 3, 256)), dtype=dtype, requires_grad=True)
    y = S(x)
    g = torch.tensor(rng.standard_normal(tuple(y.shape)), dtype=dtype)
    y.backward(g, retain_graph=True)
    taped = x.grad.clone()
    want = S._np._core.backward(x.detach().numpy(), g.numpy())
    np.testing.assert_array_equal(taped.numpy(), want)
    x.grad = None
    y.backward(g)  # retain_graph: the tape serves a second reverse pass
    np.testing.assert_array_equal(x.grad.numpy(), want)
    out, tape = S._np._core.forward_taped(x.detach().numpy())
    assert tape.batch == 6 and tape.nbytes > 0
    with pytest.raises(ValueError, match="does not fit"):
        S._np._core.backward_taped(tape, g.numpy()[:1])


def test_import_wst_does_not_import_torch():
    code = "import sys, wst; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
