"""A lattice-Boltzmann (D2Q9, BGK) solver in torch for flow past a cylinder in
a channel: vectorized over the grid, our own code.

Grid: ``nx`` cells along the flow (x), ``ny`` across (y), periodic across;
no-slip on the cylinder (bounce-back); a uniform inflow ``u_mean`` imposed at
x = 0 (equilibrium); a zero-gradient outlet.  The setup is mirror-symmetric
about the centre line y = (ny - 1) / 2 through the cylinder.  Lattice units;
Re = u_mean D / nu with nu = (tau - 1/2) / 3.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch

# D2Q9 velocities, weights and opposite directions.
_E = [(0, 0), (1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, 1), (-1, -1), (1, -1)]
_W = [4 / 9] + [1 / 9] * 4 + [1 / 36] * 4
_OPPOSITE = [0, 3, 4, 1, 2, 7, 8, 5, 6]


@dataclass(frozen=True)
class Channel:
    """A cylinder of diameter D in a domain periodic across the flow (an
    infinite row of cylinders ``ny`` apart: blockage D / ny), uniform inflow
    ``u_mean`` at x = 0, zero-gradient outflow."""

    nx: int
    ny: int
    diameter: float
    reynolds: float
    u_mean: float = 0.08
    center_x: float | None = None

    @property
    def nu(self) -> float:
        return self.u_mean * self.diameter / self.reynolds

    @property
    def tau(self) -> float:
        return 3 * self.nu + 0.5

    @property
    def blockage(self) -> float:
        return self.diameter / self.ny

    @property
    def cylinder_x(self) -> float:
        return self.center_x if self.center_x is not None else 4 * self.diameter


class LatticeBoltzmann:
    """D2Q9 BGK on a (ny, nx) grid; ``f`` has shape (9, ny, nx)."""

    def __init__(self, channel: Channel, *, dtype=torch.float32, device=None):
        self.c = channel
        self.dtype, self.device = dtype, device
        ny, nx = channel.ny, channel.nx
        y = torch.arange(ny, dtype=torch.float64)[:, None]
        x = torch.arange(nx, dtype=torch.float64)[None, :]
        r = channel.diameter / 2
        self.solid = ((x - channel.cylinder_x) ** 2 + (y - (ny - 1) / 2) ** 2 <= r * r).to(
            device)
        self.ex = torch.tensor([e[0] for e in _E], dtype=dtype, device=device)[:, None, None]
        self.ey = torch.tensor([e[1] for e in _E], dtype=dtype, device=device)[:, None, None]
        self.w = torch.tensor(_W, dtype=dtype, device=device)[:, None, None]
        rho = torch.ones(ny, nx, dtype=dtype, device=device)
        ux = torch.full((ny, nx), channel.u_mean, dtype=dtype, device=device)
        ux[self.solid] = 0
        self.f = self.equilibrium(rho, ux, torch.zeros_like(ux))
        self.steps = 0

    def equilibrium(self, rho, ux, uy):
        eu = self.ex * ux + self.ey * uy
        usq = ux * ux + uy * uy
        return self.w * rho * (1 + 3 * eu + 4.5 * eu * eu - 1.5 * usq)

    def macroscopic(self):
        rho = self.f.sum(0)
        ux = (self.f * self.ex).sum(0) / rho
        uy = (self.f * self.ey).sum(0) / rho
        return rho, ux, uy

    def mirror(self) -> None:
        """Replace the state by its mirror image about the centre line."""
        self.f = torch.flip(self.f[_MIRROR], dims=(1,))

    def symmetrize(self) -> None:
        """Project the state onto mirror-symmetric states (the mean of it and
        its mirror image)."""
        self.f = 0.5 * (self.f + torch.flip(self.f[_MIRROR], dims=(1,)))

    def kick(self, epsilon: float) -> None:
        """A small antisymmetric perturbation: transverse velocity
        epsilon * u_mean in a blob one diameter behind the cylinder."""
        c = self.c
        y = torch.arange(c.ny, dtype=self.dtype, device=self.device)[:, None]
        x = torch.arange(c.nx, dtype=self.dtype, device=self.device)[None, :]
        blob = torch.exp(-((x - c.cylinder_x - c.diameter) ** 2
                           + (y - (c.ny - 1) / 2) ** 2) / (0.5 * c.diameter) ** 2)
        rho, ux, uy = self.macroscopic()
        uy = uy + epsilon * c.u_mean * blob
        self.f = torch.where(self.solid, self.f, self.equilibrium(rho, ux, uy))

    def step(self, count: int = 1) -> None:
        omega = 1.0 / self.c.tau
        f = self.f
        u_in = self.c.u_mean
        for _ in range(count):
            rho = f.sum(0)
            ux = (f * self.ex).sum(0) / rho
            uy = (f * self.ey).sum(0) / rho
            ux[:, 0] = u_in
            uy[:, 0] = 0
            rho[:, 0] = 1.0
            feq = self.equilibrium(rho, ux, uy)
            post = f + omega * (feq - f)
            post[:, :, 0] = feq[:, :, 0]
            post = torch.where(self.solid, f[_OPPOSITE], post)  # bounce-back
            f = torch.stack([torch.roll(post[i], shifts=(e[1], e[0]), dims=(0, 1))
                             for i, e in enumerate(_E)])
            f[:, :, -1] = f[:, :, -2]  # outlet: zero gradient
            self.steps += 1
        self.f = f

    def fields(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(vorticity, u_x, u_y), zero inside the cylinder."""
        _, ux, uy = self.macroscopic()
        dvdx = (torch.roll(uy, -1, 1) - torch.roll(uy, 1, 1)) / 2
        dudy = (torch.roll(ux, -1, 0) - torch.roll(ux, 1, 0)) / 2
        zero = torch.zeros_like(ux)
        return (torch.where(self.solid, zero, dvdx - dudy), torch.where(self.solid, zero, ux),
                torch.where(self.solid, zero, uy))

    def probe(self) -> float:
        """Transverse velocity on the centre line two diameters behind the
        cylinder: zero for a symmetric wake, oscillating when it sheds."""
        c = self.c
        col = int(round(c.cylinder_x + 2 * c.diameter))
        _, _, uy = self.macroscopic()
        y = c.ny // 2
        return float(0.5 * (uy[y, col] + uy[c.ny - 1 - y, col]))


# Mirror y -> -y exchanges the directions with ey -> -ey.
_MIRROR = [0, 1, 4, 3, 2, 8, 7, 6, 5]


def strouhal(signal: list[float], every: int, channel: Channel) -> float:
    """Shedding frequency from upward zero crossings of the probe signal
    (the last half of the record), as St = f D / u_mean."""
    half = signal[len(signal) // 2:]
    crossings = [i + a / (a - b) for i, (a, b) in enumerate(zip(half, half[1:]))
                 if a < 0 <= b]
    if len(crossings) < 3:
        return math.nan
    period = (crossings[-1] - crossings[0]) / (len(crossings) - 1) * every
    return channel.diameter / (period * channel.u_mean)
