"""PyTorch frontend: ``Scattering1D`` and ``Scattering2D`` as ``torch.nn.Module``s with Kymatio
0.4's torch signature (``kymatio.torch`` scripts run with the import changed), differentiable
with respect to their input.

Each module holds the NumPy frontend's transform (same options, attributes, errors) and calls
it through a ``torch.autograd.Function``: the forward and the exact reverse pass
(docs/scattering-gradients.md) run in C++ on CPU tensors, float32 or float64, any batch shape,
with the GIL released. As in kymatio.torch, the 1D filters are rounded to float32. Second
derivatives are not available (a clear error says so).
"""
try:
    import torch
    from torch.autograd.function import once_differentiable
except ImportError as e:  # pragma: no cover - exercised where python3-torch is missing
    raise ImportError("wst.torch needs PyTorch: on Debian, apt-get install python3-torch "
                      f"(the rest of wst works without it) [{e}]") from e

from ._errors import kymatio_error
from ._scattering1d import Scattering1D as _NumpyScattering1D
from ._scattering2d import Scattering2D as _NumpyScattering2D

__all__ = ['Scattering1D', 'Scattering2D']


class _Transform(torch.autograd.Function):
    """y = S(x) with dy → dx = ∂/∂x Σ dy·S(x) from the C++ reverse pass. Where the core can
    record a tape of its forward (1D: each path's wavelet coefficients), the forward keeps one
    when a gradient is wanted and the reverse pass reads it instead of recomputing the forward
    cascade (same bits); otherwise the reverse pass recomputes it from x."""

    @staticmethod
    def forward(ctx, x, core):
        x_np = x.detach().numpy()
        ctx.core = core
        ctx.tape = None
        ctx.save_for_backward(x)
        if ctx.needs_input_grad[0] and hasattr(core, 'forward_taped'):
            y, ctx.tape = core.forward_taped(x_np)
            return torch.from_numpy(y)
        return torch.from_numpy(core(x_np))

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        g = grad_output.detach().to(x.dtype).contiguous().numpy()
        if ctx.tape is not None:
            dx = ctx.core.backward_taped(ctx.tape, g).reshape(x.shape)
        else:
            dx = ctx.core.backward(x.detach().numpy(), g)
        return torch.from_numpy(dx), None


def _checked_tensor(x, what):
    """x as a contiguous CPU tensor of float32 or float64 (Kymatio's wording for the rest)."""
    if not torch.is_tensor(x):
        raise kymatio_error(TypeError, "The input should be a PyTorch Tensor.",
                            f"{what} is a {type(x).__name__}")
    if x.device.type != 'cpu':
        raise kymatio_error(TypeError, "Input tensor must be on the CPU.",
                            f"{what} is on {x.device}: wst computes on the CPU; use x.cpu()")
    if x.is_complex() or not x.is_floating_point():
        raise kymatio_error(TypeError, "The input should be real.", f"{what} has dtype {x.dtype}")
    if x.dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    return x.contiguous()


class _ScatteringModule(torch.nn.Module):
    """The shared module: the NumPy transform and the autograd call."""

    frontend_name = 'torch'

    def __init__(self, transform):
        super().__init__()
        self._np = transform

    def __getattr__(self, name):
        # Kymatio's attributes (J, shape, phi_f, psi, …) are the NumPy transform's.
        try:
            return super().__getattr__(name)
        except AttributeError:
            transform = self.__dict__.get('_np')
            if transform is None:
                raise
            return getattr(transform, name)

    def forward(self, x):
        """The scattering transform of a CPU tensor (..., *shape); see the class docstring."""
        if x is None:
            raise kymatio_error(TypeError, "The input should be not empty.", "x is None")
        x = _checked_tensor(x, 'x')
        out_type = self._np.out_type
        self._np._check_call(x.detach().numpy())  # Kymatio's errors, in Kymatio's order
        y = _Transform.apply(x, self._np._core)
        if out_type == 'array':
            return y
        return self._np._outputs(y)

    def scattering(self, x):
        """Same as ``self(x)``."""
        return self(x)

    def meta(self):
        return self._np.meta()

    def output_size(self, detail=False):
        return self._np.output_size(detail)

    def extra_repr(self):
        return repr(self._np)


class _TorchNumpyScattering1D(_NumpyScattering1D):
    _float32_filters = True  # as kymatio.torch


class Scattering1D(_ScatteringModule):
    """``kymatio.torch.Scattering1D(J, shape, Q=1, T=None, stride=None, max_order=2,
    oversampling=0, out_type='array', backend='torch')``: the options of
    :class:`wst.Scattering1D`, differentiable with respect to the input."""

    def __init__(self, J, shape, Q=1, T=None, stride=None, max_order=2, oversampling=0,
                 out_type='array', backend='torch', *, threads=None, planning='estimate'):
        _check_torch_backend(backend)
        super().__init__(_TorchNumpyScattering1D(
            J, shape, Q=Q, T=T, stride=stride, max_order=max_order, oversampling=oversampling,
            out_type=out_type, threads=threads, planning=planning))


class Scattering2D(_ScatteringModule):
    """``kymatio.torch.Scattering2D(J, shape, L=8, max_order=2, pre_pad=False,
    backend='torch', out_type='array')``: the options of :class:`wst.Scattering2D`,
    differentiable with respect to the input."""

    def __init__(self, J, shape, L=8, max_order=2, pre_pad=False, backend='torch',
                 out_type='array', *, threads=None, planning='estimate'):
        _check_torch_backend(backend)
        super().__init__(_NumpyScattering2D(J, shape, L=L, max_order=max_order, pre_pad=pre_pad,
                                            out_type=out_type, threads=threads, planning=planning))


def _check_torch_backend(backend):
    """kymatio.torch's backends are 'torch' and 'torch_skcuda'; both mean wst's C++ here."""
    name = backend if isinstance(backend, str) or backend is None else getattr(backend, 'name', None)
    if name is None or (isinstance(name, str) and name.startswith('torch')):
        return
    raise kymatio_error(ImportError, f"The backend {name} can not be called from the frontend "
                        "torch.", "use backend='torch' or leave it out")

