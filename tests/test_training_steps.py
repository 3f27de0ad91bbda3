"""One training step of every variant against the paper's losses, computed here.

Each test fixes the networks (a seed), a batch and the random draws (recorded as the step
makes them), computes each network's loss from the paper's equations in the test, and
checks the step's update of every parameter against the gradient of that loss. On a
fresh Adam the first update is -lr * g / (|g| + eps), so every parameter with a clear
gradient must move by about lr, against the sign of its gradient. A flipped loss sign, a
dropped term, a network or prior left out of its optimiser, or a step on the wrong batch
breaks that (see issue 11's note for the changes tried).

Test names start with the variant, so ``pytest -k mdgan`` runs a variant's tests.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.optimize import minimize

from gan_bench.gans import latent as latent_module
from gan_bench.gans.base import DataSpec
from gan_bench.gans.registry import create

LR = 1e-2
BATCH = 32
ADAM_EPS = 1e-8
CLEAR_GRADIENT = 1e-7  # |g| above this: Adam's first step, lr * |g| / (|g| + eps), is >= 0.9 lr


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def make(variant: str, options: dict, n_classes: int | None = None):
    torch.manual_seed(0)
    config = {"lr_g": LR, "lr_d": LR, "batch_size": BATCH, "z_dim": 4, **options}
    return create(variant, config, DataSpec((2,), n_classes))


def fixed_batch(n_classes: int | None = None):
    g = torch.Generator().manual_seed(5)
    x = torch.randn(BATCH, 2, generator=g) * 2
    y = torch.randint(0, n_classes, (BATCH,), generator=g) if n_classes else None
    return lambda: (x, y)


def params(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return dict(module.named_parameters())


def assert_first_adam_step(before: torch.nn.Module, after: torch.nn.Module, loss: torch.Tensor, what: str):
    """Every parameter of ``before`` moved to ``after`` by -lr * sign(d loss / d param)."""
    names, tensors = zip(*params(before).items())
    grads = torch.autograd.grad(loss, tensors, allow_unused=True, retain_graph=True)
    moved = params(after)
    clear = 0
    for name, p0, g in zip(names, tensors, grads):
        delta = (moved[name] - p0).detach()
        assert g is not None, f"{what}: {name} does not enter the loss"
        mask = g.abs() > CLEAR_GRADIENT
        clear += int(mask.sum())
        np.testing.assert_array_equal(
            torch.sign(delta[mask]).numpy(), -torch.sign(g[mask]).numpy(), err_msg=f"{what}: {name} direction"
        )
        expected = LR * g[mask].abs() / (g[mask].abs() + ADAM_EPS)
        np.testing.assert_allclose(
            delta[mask].abs().numpy(),
            expected.numpy(),
            rtol=2e-3,
            err_msg=f"{what}: {name} step size (not a first Adam step?)",
        )
    assert clear > 0, f"{what}: no parameter has a clear gradient"


def record_calls(monkeypatch, owner, name: str) -> list:
    """Wrap ``owner.name`` so each call's (args, result) is kept, in order."""
    calls = []
    original = getattr(owner, name)

    def spy(*args, **kwargs):
        out = original(*args, **kwargs)
        calls.append((args, out))
        return out

    monkeypatch.setattr(owner, name, spy)
    return calls


def record_forward(module: torch.nn.Module) -> list:
    calls = []
    module.register_forward_hook(lambda m, args, out: calls.append((args, out)))
    return calls


def step(model, batches, seed: int = 1):
    before = copy.deepcopy(model)
    rng = torch.Generator().manual_seed(seed)
    model.train_step(batches, rng)
    return before


def log_sigmoid(t):
    return F.logsigmoid(t)


# --- the non-saturating GAN (Goodfellow et al. 2014, §3) ---------------------------------


def standard_d_loss(d, real, fake):
    """-E log D(x) - E log(1 - D(G(z))), D = sigmoid(logit)."""
    return -(log_sigmoid(d(real)).mean() + log_sigmoid(-d(fake)).mean())


def nonsaturating_g_loss(d, fake):
    """-E log D(G(z))."""
    return -log_sigmoid(d(fake)).mean()


def test_vanilla_train_step_follows_the_gan_losses(monkeypatch):
    model = make("vanilla", {})
    draws = record_calls(monkeypatch, model, "sample_latent")
    batches = fixed_batch()
    before = step(model, batches)
    (z, _) = draws[0][1]
    x = batches()[0]
    assert_first_adam_step(before.D, model.D, standard_d_loss(before.D, x, before.G(z).detach()), "D")
    assert_first_adam_step(before.G, model.G, nonsaturating_g_loss(model.D, before.G(z)), "G")


# --- WGAN-GP (Gulrajani et al. 2017, Alg. 1) ----------------------------------------------


def critic_loss_with_penalty(critic, real, fake, rng_state, weight=10.0):
    """E C(G(z)) - E C(x) + lambda E (||grad C(x_hat)|| - 1)^2, x_hat on random interpolates."""
    eps = torch.rand((len(real), 1), generator=torch.Generator().set_state(rng_state))
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    penalty = ((grad.norm(dim=1) - 1) ** 2).mean()
    return critic(fake).mean() - critic(real).mean() + weight * penalty


def record_penalty_rng(monkeypatch) -> list:
    from gan_bench.gans import losses

    states = []
    original = losses.gradient_penalty

    def spy(critic, real, fake, rng):
        states.append(rng.get_state())
        return original(critic, real, fake, rng)

    monkeypatch.setattr(losses, "gradient_penalty", spy)
    return states


def test_wgan_gp_train_step_follows_the_critic_and_generator_losses(monkeypatch):
    model = make("wgan-gp", {"n_critic": 1})
    draws = record_calls(monkeypatch, model, "sample_latent")
    penalty_rng = record_penalty_rng(monkeypatch)
    batches = fixed_batch()
    before = step(model, batches)
    (z_critic, _), (z_gen, _) = draws[0][1], draws[1][1]
    x = batches()[0]
    critic0 = lambda t: before.D(t).squeeze(-1)  # noqa: E731
    loss_d = critic_loss_with_penalty(critic0, x, before.G(z_critic).detach(), penalty_rng[0])
    assert_first_adam_step(before.D, model.D, loss_d, "critic")
    assert_first_adam_step(before.G, model.G, -model.D(before.G(z_gen)).mean(), "G")


# --- MD-GAN (Eghbal-zadeh et al., eq. 4) ---------------------------------------------------


def simplex_lk(e, vertices, variance, reduce):
    """The simplex mixture's likelihood: the most likely component (paper) or the sum (demo),
    each component N(v_c, variance I) weighted 1/C."""
    d = vertices.shape[1]
    sq = ((e[:, None, :] - vertices[None]) ** 2).sum(-1)
    comps = torch.exp(-sq / (2 * variance)) / (2 * math.pi * variance) ** (d / 2) / len(vertices)
    return comps.max(1).values if reduce == "max" else comps.sum(1)


def lk_maximum(vertices, variance, reduce) -> float:
    """lambda = max lk, by a numerical search started from every vertex (and the centre)."""
    v = vertices.double()

    def negative(e):
        return -float(simplex_lk(torch.tensor(e)[None], v, variance, reduce)[0])

    starts = [*v.numpy(), np.zeros(v.shape[1])]
    return max(
        -minimize(negative, s, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14}).fun
        for s in starts
    )


@pytest.mark.parametrize("fresh_g_latent", [False, True])
@pytest.mark.parametrize("likelihood", ["max", "sum"])
def test_mdgan_train_step_follows_eq_4(monkeypatch, likelihood, fresh_g_latent):
    # variance 0.05: the sum's maxima sit near the vertices, away from D's first outputs
    # (near the centre), where log(lambda - lk) is flat in the code's guard against log 0
    options = {"likelihood": likelihood, "var_real": 0.05, "var_fake": 0.05, "fresh_g_latent": fresh_g_latent}
    model = make("mdgan", {"n_components": 3, **options})
    draws = record_calls(monkeypatch, model, "sample_latent")
    batches = fixed_batch()
    before = step(model, batches)
    # the official demo draws a second z for G's step; the paper's Algorithm reuses D's
    assert len(draws) == (2 if fresh_g_latent else 1)
    (z, _) = draws[0][1]
    (z_g, _) = draws[-1][1]
    x = batches()[0]
    vertices = model.vertices
    var_r, var_f = model.config["var_real"], model.config["var_fake"]
    lam = lk_maximum(vertices, var_f, likelihood)

    def log_lambda_minus(e):
        return torch.log(lam - simplex_lk(e.double(), vertices.double(), var_f, likelihood))

    d_objective = (
        torch.log(simplex_lk(before.D(x).double(), vertices.double(), var_r, likelihood)).mean()
        + log_lambda_minus(before.D(before.G(z).detach())).mean()
    )
    assert_first_adam_step(before.D, model.D, -d_objective, "D maximises eq. 4")
    assert_first_adam_step(before.G, model.G, log_lambda_minus(model.D(before.G(z_g))).mean(), "G")


def test_mdgan_lr_halving_steps_follows_the_demo_schedule_across_a_resume():
    """lr = lr0 * 0.5^(steps done // lr_halving_steps) for G and D, also after the model and
    optimisers are rebuilt from a checkpoint's state (as a resumed run is)."""
    model = make("mdgan", {"n_components": 3, "lr_halving_steps": 2, "lr_g": 1e-3, "lr_d": 4e-3})
    batches, rng = fixed_batch(), torch.Generator().manual_seed(0)
    seen = []
    for _ in range(5):
        model.train_step(batches, rng)
        seen.append(
            (model.optimizers["G"].param_groups[0]["lr"], model.optimizers["D"].param_groups[0]["lr"])
        )
    assert seen == [(1e-3 * f, 4e-3 * f) for f in (1, 1, 0.5, 0.5, 0.25)]
    resumed = make("mdgan", {"n_components": 3, "lr_halving_steps": 2, "lr_g": 1e-3, "lr_d": 4e-3})
    resumed.load_state_dict(model.state_dict())
    for key, optimizer in resumed.optimizers.items():
        optimizer.load_state_dict(model.optimizers[key].state_dict())
    resumed.train_step(batches, rng)  # the sixth step: 5 done, still the third quarter
    assert resumed.optimizers["G"].param_groups[0]["lr"] == 1e-3 * 0.25
    resumed.train_step(batches, rng)
    assert resumed.optimizers["D"].param_groups[0]["lr"] == 4e-3 * 0.125


# --- NEMGAN (Mishra et al., §2-3) ----------------------------------------------------------


def nemgan_generator_loss(model, g, h1, h2, z, modes, labelled=None, rec="l2", rec_weight=1.0):
    """-E log D(G(z)) + w ||z - h1(G(z))|| + CE(h2(h1(G(z))), y) (+ CE on the labelled real
    data). ``rec``: the paper's per-sample L2 norm, or the official code's per-coordinate
    mean absolute ("l1") or squared ("mse") error."""
    fake = g(z)
    z_hat = h1(fake)
    loss = nonsaturating_g_loss(lambda t: model.D(t).squeeze(-1), fake)
    diff = z - z_hat
    reconstruction = {
        "l2": lambda: torch.sqrt((diff**2).sum(1)).mean(),
        "l1": lambda: diff.abs().sum() / diff.numel(),
        "mse": lambda: (diff**2).sum() / diff.numel(),
    }[rec]()
    loss = loss + rec_weight * reconstruction + F.cross_entropy(h2(z_hat), modes)
    if labelled is not None:
        x, y = labelled
        loss = loss + F.cross_entropy(h2(h1(x)), y)
    return loss


@pytest.mark.parametrize("mode,own_inverter_optimiser", [("V", True), ("V", False), ("S", True), ("P", True)])
def test_nemgan_train_step_trains_g_d_and_the_inverters(monkeypatch, mode, own_inverter_optimiser):
    options = {"mode": mode, "labelled_fraction": 0.005, "labelled_draw": "stratified", "prior_batch": 256}
    if own_inverter_optimiser:
        options["lr_h"] = LR
    model = make("nemgan", options, n_classes=2)
    g = torch.Generator().manual_seed(9)
    model.setup(torch.randn(2000, 2, generator=g), torch.randint(0, 2, (2000,), generator=g), g)
    latents = record_forward(model.prior)
    batches = fixed_batch(2)
    before = step(model, batches)
    z, modes, _ = latents[0][1]
    x = batches()[0]
    d0 = lambda t: before.D(t).squeeze(-1)  # noqa: E731
    assert_first_adam_step(before.D, model.D, standard_d_loss(d0, x, before.G(z).detach()), "D")
    labelled = None if mode == "V" else (model.labelled_x, model.labelled_y)
    loss = nemgan_generator_loss(model, before.G, before.h1, before.h2, z, modes, labelled)
    for name in ("G", "h1", "h2"):
        assert_first_adam_step(getattr(before, name), getattr(model, name), loss, name)
    if mode != "P":
        assert torch.equal(model.prior.alpha, before.prior.alpha)


@pytest.mark.parametrize("rec,weight", [("l1", 100.0), ("mse", 10.0), ("l2", 3.0)])
def test_nemgan_reconstruction_options_follow_their_norm_and_weight(rec, weight):
    """The official code's reconstruction terms: MNIST's mean absolute error x 100, FMNIST-5's
    mean squared error x 10 (and the paper's L2 norm under a weight)."""
    model = make("nemgan", {"mode": "V", "rec_loss": rec, "rec_weight": weight, "lr_h": LR}, n_classes=2)
    latents = record_forward(model.prior)
    before = step(model, fixed_batch(2))
    z, modes, _ = latents[0][1]
    loss = nemgan_generator_loss(model, before.G, before.h1, before.h2, z, modes, rec=rec, rec_weight=weight)
    for name in ("G", "h1", "h2"):
        assert_first_adam_step(getattr(before, name), getattr(model, name), loss, name)


def nemgan_with_labels(options: dict, labels: torch.Tensor | None = None):
    """Mode S on 2000 points; without ``labels``, the class is the sign of the first coordinate."""
    model = make("nemgan", {"mode": "S", "labelled_fraction": 0.009, "lr_h": LR, **options}, n_classes=2)
    g = torch.Generator().manual_seed(9)
    x = torch.randn(2000, 2, generator=g)
    model.setup(x, (x[:, 0] > 0).long() if labels is None else labels, g)
    return model


def test_nemgan_balanced_labelled_batches_take_each_class_equally():
    labels = torch.cat([torch.zeros(1800, dtype=torch.long), torch.ones(200, dtype=torch.long)])  # 90:10
    model = nemgan_with_labels({"supervision": "balanced", "sup_batch": 64, "sup_start": 0}, labels)
    assert len(model.labelled_x) == 18 and int(model.labelled_y.sum()) < 9  # a random, skewed draw
    x, y = model.balanced_labelled_batch(torch.Generator().manual_seed(3))
    assert torch.bincount(y, minlength=2).tolist() == [32, 32]
    # every image is one of the labelled ones, with its own label
    match = (x[:, None, :] == model.labelled_x[None]).all(2)
    assert match.any(1).all()
    assert torch.equal(model.labelled_y[match.float().argmax(1)], y)


def test_nemgan_balanced_supervision_is_its_own_step_after_the_gan_step(monkeypatch):
    """Eq. 16: G and h take the GAN step without the labelled term; then h alone takes a
    cross-entropy step on a class-balanced labelled batch, on its own fresh optimiser."""
    labels = torch.cat([torch.zeros(1800, dtype=torch.long), torch.ones(200, dtype=torch.long)])
    model = nemgan_with_labels({"supervision": "balanced", "sup_batch": 16, "sup_start": 0}, labels)
    latents = record_forward(model.prior)
    states, drawn = [], record_calls(monkeypatch, model, "balanced_labelled_batch")
    original = model.supervised_step

    def keep_state(rng):
        states.append(copy.deepcopy(model))
        return original(rng)

    monkeypatch.setattr(model, "supervised_step", keep_state)
    before = step(model, fixed_batch(2))
    z, modes, _ = latents[0][1]
    [mid] = states  # after the GAN step, before the supervised one
    gan_loss = nemgan_generator_loss(model, before.G, before.h1, before.h2, z, modes)  # no labelled term
    assert_first_adam_step(before.G, model.G, gan_loss, "G")
    for name in ("h1", "h2"):
        assert_first_adam_step(getattr(before, name), getattr(mid, name), gan_loss, f"{name} (GAN step)")
    [(_, (x, y))] = drawn
    assert torch.bincount(y, minlength=2).tolist() == [8, 8]
    sup_loss = F.cross_entropy(mid.h2(mid.h1(x)), y)
    for name in ("h1", "h2"):
        assert_first_adam_step(getattr(mid, name), getattr(model, name), sup_loss, f"{name} (supervised)")


def test_nemgan_balanced_supervision_waits_for_sup_start_and_pretrains_h():
    waiting = nemgan_with_labels({"supervision": "balanced", "sup_start": 1})
    batches = fixed_batch(2)
    rng = torch.Generator().manual_seed(1)
    assert "sup" not in waiting.train_step(batches, rng)  # generator step 1: not after sup_start
    assert "sup" in waiting.train_step(batches, rng)
    assert waiting.optimizers["sup"].state[next(waiting.h1.parameters())]["step"] == 1
    untrained = nemgan_with_labels({"supervision": "balanced"})
    pretrained = nemgan_with_labels({"supervision": "balanced", "sup_pretrain": 30})
    assert pretrained.optimizers["sup"].state[next(pretrained.h1.parameters())]["step"] == 30

    def labelled_ce(m):
        with torch.no_grad():
            return float(F.cross_entropy(m.mode_logits(m.labelled_x), m.labelled_y))

    assert labelled_ce(pretrained) < 0.5 * labelled_ce(untrained)


def test_nemgan_labels_only_control_trains_h_on_the_labelled_batch_and_nothing_else(monkeypatch):
    """The control of §3.3's claim: a step is one supervised h step, the GAN stays untouched."""
    model = nemgan_with_labels({"supervision": "balanced", "labels_only": True, "sup_start": 50})
    drawn = record_calls(monkeypatch, model, "balanced_labelled_batch")
    before = step(model, fixed_batch(2))
    [(_, (x, y))] = drawn
    loss = F.cross_entropy(before.h2(before.h1(x)), y)
    for name in ("h1", "h2"):
        assert_first_adam_step(getattr(before, name), getattr(model, name), loss, name)
    for name in ("G", "D", "prior"):
        assert states_unchanged(getattr(before, name), getattr(model, name)), name
    with pytest.raises(ValueError, match="expected mode 'S' or 'P' with supervision='balanced'"):
        nemgan_with_labels({"labels_only": True})


def states_unchanged(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    return all(torch.equal(t, b.state_dict()[k]) for k, t in a.state_dict().items())


def test_nemgan_official_inverter_is_the_codes_network_and_trains_on_the_losses():
    torch.manual_seed(0)
    config = {"lr_g": LR, "lr_d": LR, "lr_h": LR, "batch_size": 6, "z_dim": 12, "inverter": "official"}
    model = create("nemgan", config, DataSpec((1, 28, 28), 10))
    convs = [m for m in model.h1.modules() if isinstance(m, torch.nn.Conv2d)]
    assert [(c.out_channels, c.kernel_size, c.stride) for c in convs] == [
        (w, (5, 5), (2, 2)) for w in (32, 64, 128, 256, 512)
    ]
    assert [m.p for m in model.h1.modules() if isinstance(m, torch.nn.Dropout)] == [0.4] * 5
    assert isinstance(model.h2, torch.nn.Linear) and model.h2.out_features == 10
    assert model.h1(torch.rand(3, 1, 28, 28)).shape == (3, 12)
    for m in model.h1.modules():  # dropout off, so that the loss below sees the same network
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    x = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(2))
    latents = record_forward(model.prior)
    before = step(model, lambda: (x, None))
    z, modes, _ = latents[0][1]
    loss = nemgan_generator_loss(model, before.G, before.h1, before.h2, z, modes)
    for name in ("h1", "h2"):
        assert_first_adam_step(getattr(before, name), getattr(model, name), loss, name)
    with pytest.raises(ValueError, match="expected image data, got samples of shape"):
        make("nemgan", {"inverter": "official"}, n_classes=2)


def test_nemgan_alpha_step_minimises_the_kl_to_the_aggregated_posterior(monkeypatch):
    """Mode P: alpha <- KL(E_x softmax h(x) || prior estimated by the reparameterised draw
    f_i = step(a_i - nu1) - step(a_{i-1} - nu1), a = cumsum softmax(alpha), step ~ hard sigmoid)."""
    model = make(
        "nemgan", {"mode": "P", "labelled_draw": "stratified", "prior_batch": 256, "lr_alpha": LR}, 2
    )
    g = torch.Generator().manual_seed(9)
    model.setup(torch.randn(2000, 2, generator=g), torch.randint(0, 2, (2000,), generator=g), g)
    with torch.no_grad():  # an alpha away from 0, so that both modes' gradients are clear
        model.prior.alpha.copy_(torch.tensor([0.3, -0.2]))
    draws = record_calls(monkeypatch, model.prior, "reparameterised_modes")
    batches = fixed_batch(2)
    before = step(model, batches)
    nu1 = draws[-1][0][0]
    slope = model.config["step_slope"]
    with torch.no_grad():
        posterior = torch.softmax(model.h2(model.h1(batches()[0])), 1).mean(0)  # h after its own step
    alpha = before.prior.alpha
    a = torch.cumsum(torch.softmax(alpha, 0), 0)
    upper = ((a[None] - nu1[:, None]) * slope + 0.5).clamp(0, 1)
    lower = torch.cat([torch.zeros_like(upper[:, :1]), upper[:, :-1]], 1)
    estimate = (upper - lower).mean(0).clamp_min(1e-6)
    kl = (posterior * (posterior.log() - estimate.log())).sum()
    (grad,) = torch.autograd.grad(kl, alpha)
    delta = (model.prior.alpha - alpha).detach()
    assert grad.abs().min() > CLEAR_GRADIENT
    np.testing.assert_array_equal(torch.sign(delta).numpy(), -torch.sign(grad).numpy())
    np.testing.assert_allclose(
        delta.abs().numpy(), (LR * grad.abs() / (grad.abs() + ADAM_EPS)).numpy(), rtol=2e-3
    )


# --- MMGAN (Pandeva & Schubert, §3) -------------------------------------------------------


def mmgan_d_and_g_losses(kind, real_scores, fake_scores, clusters, n_clusters):
    """SGAN, RSGAN and cRaSGAN (averages within the cluster) for D and G."""
    if kind == "sgan":
        d = -(log_sigmoid(real_scores).mean() + log_sigmoid(-fake_scores).mean())
        return d, -log_sigmoid(fake_scores).mean()
    if kind == "rsgan":
        return -log_sigmoid(real_scores - fake_scores).mean(), -log_sigmoid(fake_scores - real_scores).mean()
    real_avg = torch.stack([real_scores[clusters == k].mean() for k in clusters.tolist()])
    fake_avg = torch.stack([fake_scores[clusters == k].mean() for k in clusters.tolist()])
    d = -(log_sigmoid(real_scores - fake_avg).mean() + log_sigmoid(-(fake_scores - real_avg)).mean())
    g = -(log_sigmoid(fake_scores - real_avg).mean() + log_sigmoid(-(real_scores - fake_avg)).mean())
    return d, g


def mmgan_latent(prior, clusters, recorded_z, before_prior):
    """z = mu_k + sigma_k eps with the draw's eps, as a function of the prior's parameters."""
    onehot = F.one_hot(clusters, prior.n_clusters).float()
    mu0, sigma0 = onehot @ before_prior.mu.weight.T, onehot @ before_prior.sigma.weight.T
    eps = ((recorded_z - mu0) / sigma0).detach()
    return mu0 + sigma0 * eps


@pytest.mark.parametrize("loss", ["sgan", "rsgan", "crasgan"])
def test_mmgan_train_step_pairs_b1_and_trains_b2_cross_entropy(monkeypatch, loss):
    model = make("mmgan", {"loss": loss, "n_clusters": 3, "lr_e": LR}, n_classes=3)
    latents = record_forward(model.prior)
    batches = fixed_batch(3)
    before = step(model, batches)
    x = batches()[0]
    (b1_args, b1_z), (b2_args, b2_z) = latents
    # B1: each fake comes from the cluster E assigns to its paired real sample
    b1 = before.E(x).argmax(1)
    assert torch.equal(b1_args[0], b1)
    b2 = b2_args[0]
    z1 = mmgan_latent(model.prior, b1, b1_z, before.prior)
    z2 = mmgan_latent(model.prior, b2, b2_z, before.prior)
    d0 = lambda t: before.D(t).squeeze(-1)  # noqa: E731
    d_loss, _ = mmgan_d_and_g_losses(loss, d0(x), d0(before.G(z1).detach()), b1, 3)
    assert_first_adam_step(before.D, model.D, d_loss, "D")
    d1 = lambda t: model.D(t).squeeze(-1)  # noqa: E731
    _, g_adv = mmgan_d_and_g_losses(loss, d1(x).detach(), d1(before.G(z1)), b1, 3)
    ce = F.cross_entropy(before.E(before.G(z2)), b2)
    total = g_adv + model.config["lambda_ce"] * ce
    assert_first_adam_step(before.G, model.G, total, "G")
    assert_first_adam_step(before.prior, model.prior, total, "the latent's mu and sigma")
    assert_first_adam_step(before.E, model.E, ce, "E (B2 cross-entropy only)")


def test_mmgan_clustergan_architecture_is_clustergans_and_trains_on_the_losses(monkeypatch):
    """ClusterGAN's networks (Mukherjee et al., Appendix): G FC 1024 -> FC 7x7x128 -> two
    4x4 deconvolutions; D and E two 4x4 convolutions (64, 128) -> FC 1024 -> output. The
    step follows the same B1/B2 losses as the DCGAN nets."""
    torch.manual_seed(0)
    config = {"lr_g": LR, "lr_d": LR, "lr_e": LR, "batch_size": 6, "z_dim": 8}
    model = create(
        "mmgan", {**config, "architecture": "clustergan", "n_clusters": 3}, DataSpec((1, 28, 28), 3)
    )

    def linear_widths(net):
        return [(m.in_features, m.out_features) for m in net.modules() if isinstance(m, torch.nn.Linear)]

    assert linear_widths(model.G) == [(8, 1024), (1024, 128 * 7 * 7)]
    assert linear_widths(model.D) == [(128 * 7 * 7, 1024), (1024, 1)]
    assert linear_widths(model.E) == [(128 * 7 * 7, 1024), (1024, 3)]
    convs = [
        (m.out_channels, m.kernel_size, m.stride) for m in model.E.modules() if isinstance(m, torch.nn.Conv2d)
    ]
    assert convs == [(64, (4, 4), (2, 2)), (128, (4, 4), (2, 2))]
    images = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(2))  # pixels in [0, 1]
    latents = record_forward(model.prior)
    before = step(model, lambda: (images, None))
    x = model.to_model_space(images)
    (b1_args, b1_z), (b2_args, b2_z) = latents
    b1, b2 = before.E(x).argmax(1), b2_args[0]
    assert torch.equal(b1_args[0], b1)
    z1 = mmgan_latent(model.prior, b1, b1_z, before.prior)
    z2 = mmgan_latent(model.prior, b2, b2_z, before.prior)
    d0 = lambda t: before.D(t).squeeze(-1)  # noqa: E731
    d_loss, _ = mmgan_d_and_g_losses("sgan", d0(x), d0(before.G(z1).detach()), b1, 3)
    assert_first_adam_step(before.D, model.D, d_loss, "D")
    d1 = lambda t: model.D(t).squeeze(-1)  # noqa: E731
    _, g_adv = mmgan_d_and_g_losses("sgan", d1(x).detach(), d1(before.G(z1)), b1, 3)
    ce = F.cross_entropy(before.E(before.G(z2)), b2)
    assert_first_adam_step(before.G, model.G, g_adv + model.config["lambda_ce"] * ce, "G")
    assert_first_adam_step(before.E, model.E, ce, "E")
    with pytest.raises(ValueError, match="expected image data, got samples of shape"):
        make("mmgan", {"architecture": "clustergan"}, n_classes=2)


# --- GM-GAN (Ben-Yosef & Weinshall, §2) ---------------------------------------------------


def gmgan_latent(before_prior, modes, recorded_z):
    """z = mu_k + A_k eps with the draw's eps, as a function of mu and A."""
    mu, a = before_prior.mu[modes], before_prior.A[modes]
    if a.ndim == 2:
        eps = ((recorded_z - mu) / a).detach()
        return mu + a * eps
    eps = torch.linalg.solve(a, (recorded_z - mu).unsqueeze(-1)).detach()
    return mu + (a @ eps).squeeze(-1)


def supervised_loss(logits, target):
    """-log D(x)_y - sum_{m != y} log(1 - D(x)_m), D_m = sigmoid(logit_m) (GM-GAN §2)."""
    onehot = F.one_hot(target, logits.shape[1]).bool()
    return -(torch.where(onehot, log_sigmoid(logits), log_sigmoid(-logits)).sum(1)).mean()


def test_gmgan_train_step_with_the_papers_generator_batch_draws_a_fresh_z():
    """b_D = BATCH, b_G = 48: the G step uses a second, fresh draw of 48 latents."""
    model = make("gmgan", {"mixture": "dynamic", "n_gaussians": 3, "c": 1.0, "g_batch_size": 48}, n_classes=3)
    latents = record_forward(model.prior)
    before = step(model, fixed_batch(3))
    assert [len(args[0]) for args, _ in latents] == [BATCH, 48]
    (args, z_drawn) = latents[1]
    z = gmgan_latent(before.prior, args[0], z_drawn)
    g_loss = nonsaturating_g_loss(lambda t: model.D(t).squeeze(-1), before.G(z))
    assert_first_adam_step(before.G, model.G, g_loss, "G")
    assert_first_adam_step(before.prior, model.prior, g_loss, "mu_k and A_k")


def test_mdgan_simplex_edge_option_scales_the_vertices():
    from gan_bench.gans.mdgan import simplex_vertices

    for edge in (1.0, 2**0.5):
        model = make("mdgan", {"n_components": 8, "simplex_edge": edge})
        distances = torch.pdist(model.vertices.double())
        np.testing.assert_allclose(distances.numpy(), edge, rtol=1e-6)
        np.testing.assert_allclose(model.vertices.mean(0).numpy(), 0, atol=1e-6)
    with pytest.raises(ValueError, match="expected a positive length, got 0"):
        simplex_vertices(8, 0.0)


@pytest.mark.parametrize(
    "mixture,supervised,covariance",
    [
        ("static", False, "diagonal"),
        ("dynamic", False, "diagonal"),
        ("dynamic", True, "full"),
        ("static", True, "diagonal"),
    ],
)
def test_gmgan_train_step_follows_the_unsupervised_and_supervised_losses(mixture, supervised, covariance):
    model = make(
        "gmgan",
        {"mixture": mixture, "supervised": supervised, "covariance": covariance, "n_gaussians": 3, "c": 1.0},
        n_classes=3,
    )
    latents = record_forward(model.prior)
    batches = fixed_batch(3)
    before = step(model, batches)
    x, y = batches()
    (args, z_drawn) = latents[0]
    modes = args[0]
    z = gmgan_latent(before.prior, modes, z_drawn) if mixture == "dynamic" else z_drawn
    if supervised:
        fake_term = -log_sigmoid(-before.D(before.G(z).detach())).sum(1).mean()  # -sum_m log(1 - D_m)
        d_loss = supervised_loss(before.D(x), y) + fake_term
        g_loss = supervised_loss(model.D(before.G(z)), modes % 3)
    else:
        d0 = lambda t: before.D(t).squeeze(-1)  # noqa: E731
        d_loss = standard_d_loss(d0, x, before.G(z).detach())
        g_loss = nonsaturating_g_loss(lambda t: model.D(t).squeeze(-1), before.G(z))
    assert_first_adam_step(before.D, model.D, d_loss, "D")
    assert_first_adam_step(before.G, model.G, g_loss, "G")
    if mixture == "dynamic":
        assert_first_adam_step(before.prior, model.prior, g_loss, "mu_k and A_k")
    else:
        assert torch.equal(model.prior.mu, before.prior.mu) and torch.equal(model.prior.A, before.prior.A)


# --- masked / weighted prior (Goerttler & Kloft, §3) ---------------------------------------


@pytest.mark.parametrize("prior", ["masked", "weighted"])
@pytest.mark.parametrize("base_loss", ["standard", "wgan", "wgan-table1-linear"])
def test_priorgan_train_step_uses_the_top_scored_latents(monkeypatch, prior, base_loss):
    """wgan-table1-linear: Table 1's nets (Glorot init) on WGAN-GP with critic_output =
    "linear", the closest setting to the paper's that trains: the critic and the scores are
    D's value before the sigmoid."""
    options = {"prior": prior, "base_loss": base_loss, "presample": 200, "rate": 0.25, "n_critic": 1}
    if base_loss == "wgan-table1-linear":
        options |= {"base_loss": "wgan", "nets": "table1", "critic_output": "linear", "table1_init": "glorot"}
    model = make("priorgan", options)
    pre = record_calls(monkeypatch, latent_module, "gaussian")
    chosen = record_calls(monkeypatch, model, "prior_latents")
    penalty_rng = record_penalty_rng(monkeypatch)
    batches = fixed_batch()
    before = step(model, batches)
    x = batches()[0]
    # the latents of the D step were chosen by D(G(z)) of the model before the step
    pool, used = pre[0][1], chosen[0][1]
    with torch.no_grad():
        scores = before.D(before.G(pool)).squeeze(-1)
    rank = scores.argsort(descending=True).argsort()  # 0 = best
    index = torch.cdist(used, pool).argmin(1)
    assert torch.equal(pool[index], used)
    if prior == "masked":
        assert (rank[index] < 50).all()  # the top quarter of 200
    d0 = lambda t: before.D(t).squeeze(-1)  # noqa: E731
    if base_loss == "standard":
        d_loss = standard_d_loss(d0, x, before.G(used).detach())
        g_loss = nonsaturating_g_loss(lambda t: model.D(t).squeeze(-1), before.G(used))
    else:
        d_loss = critic_loss_with_penalty(d0, x, before.G(used).detach(), penalty_rng[0])
        g_loss = -model.D(before.G(chosen[1][1])).mean()
    assert_first_adam_step(before.D, model.D, d_loss, "D")
    assert_first_adam_step(before.G, model.G, g_loss, "G")


def test_priorgan_weighted_resampling_is_proportional_to_the_score():
    """Definition 4 with w(s) = s: index i is drawn with probability s_i / sum s."""
    from scipy.stats import chisquare

    from gan_bench.gans.priorgan import weighted_indices

    scores = torch.tensor([0.05, 0.1, 0.2, 0.25, 0.4])
    drawn = weighted_indices(scores, 50_000, torch.Generator().manual_seed(0))
    counts = np.bincount(drawn.numpy(), minlength=5)
    expected = (scores / scores.sum()).numpy() * 50_000
    assert chisquare(counts, expected).pvalue > 1e-3
    assert chisquare(counts, expected[::-1].copy()).pvalue < 1e-12  # inverted scores are rejected


@pytest.mark.parametrize("prior", ["masked", "weighted"])
def test_priorgan_sample_draws_distinct_latents(monkeypatch, prior):
    """Evaluation must not repeat latents: sample(2000) has 2000 distinct rows."""
    model = make("priorgan", {"prior": prior, "presample": 1000, "rate": 0.5})
    x, _ = model.sample(2000, seed=0)
    assert len(torch.unique(x, dim=0)) == 2000


def test_priorgan_masked_sampling_pool_keeps_only_the_top_rate(monkeypatch):
    model = make("priorgan", {"prior": "masked", "presample": 1000, "rate": 0.25})
    pools = record_calls(monkeypatch, latent_module, "gaussian")
    z = model.sample_latent(300, torch.Generator().manual_seed(0))[0]
    pool = pools[0][1]
    assert len(pool) == 1200  # n / r
    with torch.no_grad():
        values = model.D(model.G(pool)).squeeze(-1)
    top = set(values.argsort(descending=True)[:300].tolist())
    chosen = torch.cdist(z, pool).argmin(1).tolist()
    assert set(chosen) == top


@pytest.mark.parametrize("variant", ["mmgan", "nemgan", "gmgan"])
def test_predict_cluster_restores_the_previous_mode(variant):
    options = {"cluster_samples": 20, "cluster_steps": 2} if variant == "gmgan" else {}
    model = make(variant, options, n_classes=3)
    x = torch.randn(10, 2)
    for training in (True, False):
        model.train(training)
        model.predict_cluster(x)
        assert model.training is training
        assert all(m.training is training for m in model.modules())


# --- priorgan in the paper's ring-8 setting (Goerttler & Kloft §4.1, Table 1) -----------


def assert_first_rmsprop_step(
    before, after, loss, what, lr: float, clip: float = math.inf, alpha: float = 0.99
):
    """A first RMSProp step moves each parameter by -lr * g / (sqrt(1 - alpha) |g| + eps):
    against the gradient's sign (parameters a clip moved back are left out)."""
    names, tensors = zip(*params(before).items())
    grads = torch.autograd.grad(loss, tensors, retain_graph=True)
    moved = params(after)
    checked = 0
    for name, p0, g in zip(names, tensors, grads):
        delta = (moved[name] - p0).detach()
        expected = -lr * g / (math.sqrt(1 - alpha) * g.abs() + 1e-8)
        mask = (g.abs() > CLEAR_GRADIENT) & torch.isclose(delta, expected, rtol=1e-3, atol=0)
        checked += int(mask.sum())
        unexplained = (g.abs() > CLEAR_GRADIENT) & ~mask & (moved[name].abs() < clip * 0.999)
        assert not unexplained.any(), f"{what}: {name} moved neither by RMSProp nor by the clip"
    assert checked > 0, f"{what}: no parameter took a plain RMSProp step"


@pytest.mark.parametrize("prior", ["masked", "weighted"])
def test_priorgan_train_step_in_the_papers_wgan_clip_setting(monkeypatch, prior):
    """WGAN with weight clipping (Arjovsky et al., Alg. 1) on Table 1's networks and a
    U(-1, 1) latent: the critic descends C(G(z)) - C(x) and is clipped; G descends -C(G(z))
    with C = Table 1's sigmoid output; the latents are the prior's top-scored ones."""
    options = {"prior": prior, "base_loss": "wgan-clip", "latent": "uniform", "nets": "table1",
               "presample": 200, "rate": 0.25, "n_critic": 1, "clip": 0.05, "z_dim": 2,
               "lr_g": 1e-4, "lr_d": 1e-4}  # fmt: skip
    model = make("priorgan", options)
    assert [type(m).__name__ for m in model.G] == ["Linear", "ReLU", "Linear", "ReLU", "Linear", "Tanh"]
    assert [type(m).__name__ for m in model.D][:6] == ["Linear", "Tanh"] * 3
    assert all(isinstance(o, torch.optim.RMSprop) for o in model.optimizers.values())
    pools = record_calls(monkeypatch, latent_module, "uniform")
    chosen = record_calls(monkeypatch, model, "prior_latents")
    batches = fixed_batch()
    before = step(model, batches)
    pool = pools[0][1]
    assert pool.abs().max() <= 1 and pool.shape == (200, 2)  # U(-1, 1)^2
    critic0 = lambda t: torch.sigmoid(before.D(t).squeeze(-1))  # noqa: E731
    used = chosen[0][1]
    if prior == "masked":
        with torch.no_grad():  # ranked by D's logit: the sigmoid of small logits ties in float32
            rank = before.D(before.G(pool)).squeeze(-1).argsort(descending=True).argsort()
        assert (rank[torch.cdist(used, pool).argmin(1)] < 50).all()
    x = batches()[0]
    d_loss = critic0(before.G(used).detach()).mean() - critic0(x).mean()
    assert_first_rmsprop_step(before.D, model.D, d_loss, "D", lr=1e-4, clip=0.05)
    assert all(p.abs().max() <= 0.05 for p in model.D.parameters())  # clipped
    assert any(p.abs().max() > 0.05 for p in before.D.parameters())  # and the clip did something
    g_loss = -torch.sigmoid(model.D(before.G(chosen[1][1])).squeeze(-1)).mean()
    assert_first_rmsprop_step(before.G, model.G, g_loss, "G", lr=1e-4)


def _input_gradients(critic: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    x = x.clone().requires_grad_(True)
    critic(x).sum().backward()
    return x.grad


def test_table1_critic_clipped_at_0_01_is_affine_so_it_can_only_translate_the_fakes():
    """Why the paper's ring-8 setting as written does not train (issue 23). Every weight of
    Table 1's tanh critic within the clip [-0.01, 0.01] keeps each pre-activation below
    0.1, where tanh is linear to 1%: the critic is affine, and its gradient, the only
    signal G gets, is one vector at every point. It can move G's samples together, never
    spread them onto a ring centred where G starts. A clip of 1 leaves the tanh layers
    non-linear: there the gradient differs from point to point."""
    angles = torch.arange(8) * (2 * math.pi / 8)
    ring = torch.stack([angles.cos(), angles.sin()], 1)
    points = torch.cat([ring, 0.01 * torch.randn(8, 2, generator=torch.Generator().manual_seed(0))])
    spread = {}
    draw = torch.Generator().manual_seed(1)
    # random: weights uniform in the clip box; aligned: every weight +clip, the largest activations
    for clip, signs in ((0.01, "random"), (0.01, "aligned"), (1.0, "random")):
        model = make("priorgan", {"base_loss": "wgan-clip", "nets": "table1", "z_dim": 2, "clip": clip})
        with torch.no_grad():
            for p in model.D.parameters():
                box = torch.empty_like(p).uniform_(-clip, clip, generator=draw)
                p.copy_(torch.full_like(p, clip) if signs == "aligned" else box)
        grads = _input_gradients(model.D, points)
        spread[clip, signs] = float((grads - grads.mean(0)).norm(dim=1).max() / grads.mean(0).norm())
    assert spread[0.01, "random"] < 1e-2 and spread[0.01, "aligned"] < 1e-2, spread
    assert spread[1.0, "random"] > 0.1, spread


def test_table1_init_glorot_gives_the_generator_an_output_spread_and_dcgan_init_does_not():
    """Table 1's generator under the DCGAN init N(0, 0.02) maps U(-1, 1)^2 to a blob of
    standard deviation about 2e-4 (three layers of weights of 0.02; the ring's is 0.7), too
    small for its gradients to grow it in the paper's 2000 steps at lr 1e-4; under the
    Keras/TensorFlow default (Glorot-uniform) it starts 200 times wider."""
    z = torch.rand(2000, 2, generator=torch.Generator().manual_seed(0)) * 2 - 1
    std = {}
    for init in ("dcgan", "glorot"):
        model = make("priorgan", {"nets": "table1", "z_dim": 2, "table1_init": init})
        with torch.no_grad():
            std[init] = float(model.G(z).std(0).mean())
    assert std["dcgan"] < 1e-3 and std["glorot"] > 2e-2, std


@pytest.mark.parametrize(
    ("variant", "options", "n_classes"),
    [
        ("mmgan", {"loss": "sgan", "n_clusters": 3, "lr_e": LR}, 3),
        ("gmgan", {"mixture": "dynamic", "n_gaussians": 3}, 3),
    ],
)
def test_lr_prior_steps_the_learned_mixture_at_its_own_rate_and_zero_freezes_it(variant, options, n_classes):
    """Issue 23's probe: the latent mixture (MMGAN's mu/sigma, GM-GAN's dynamic mu/A) on its
    own learning rate. A first Adam step moves each parameter by lr * sign(gradient), so at a
    tenth of lr_g the mixture moves a tenth as far as with the papers' shared rate, G and D
    exactly as far; lr_prior = 0 leaves the mixture where it was initialised."""
    moved = {}
    for lr_prior in (None, LR / 10, 0.0):
        model = make(variant, {**options, "lr_prior": lr_prior}, n_classes=n_classes)
        before = step(model, fixed_batch(n_classes))
        moved[lr_prior] = {
            net: {
                k: (params(getattr(model, net))[k] - v).detach()
                for k, v in params(getattr(before, net)).items()
            }
            for net in ("G", "D", "prior")
        }
    shared, tenth, frozen = moved[None], moved[LR / 10], moved[0.0]
    assert any(d.abs().max() > 0.5 * LR for d in shared["prior"].values())  # the papers': it learns
    for name, delta in shared["prior"].items():
        torch.testing.assert_close(tenth["prior"][name], delta / 10, rtol=2e-3, atol=1e-9)
        assert torch.equal(frozen["prior"][name], torch.zeros_like(delta)), name
    for net in ("G", "D"):
        for name, delta in shared[net].items():
            assert torch.equal(tenth[net][name], delta) and torch.equal(frozen[net][name], delta), (net, name)


def test_the_labels_only_control_keeps_h_alone_and_loads_the_same_everywhere(tmp_path):
    """Its G is never trained, so its checkpoint holds h and the prior only (half the file);
    rebuilt from it, h clusters exactly as the trained one did, and the modules a checkpoint
    leaves out start from the checkpoint's seed, with the caller's random stream untouched."""
    from gan_bench.bench.models import checkpoint_payload, model_from_payload

    model = nemgan_with_labels({"supervision": "balanced", "labels_only": True, "mode": "P"})
    step(model, fixed_batch(2))
    model.eval()
    payload = checkpoint_payload(model, dataset="grid9", seed=4, step=1, full=False)
    assert {k.split(".")[0] for k in payload["state_dict"]} == {"prior", "h1", "h2"}
    full = nemgan_with_labels({"supervision": "balanced", "mode": "P"}).inference_state_dict()
    assert {k.split(".")[0] for k in full} == {"G", "prior", "h1", "h2"}
    x = torch.randn(300, 2, generator=torch.Generator().manual_seed(1))
    state = torch.get_rng_state()
    first, second = model_from_payload(payload), model_from_payload(payload)
    assert torch.equal(torch.get_rng_state(), state)
    assert torch.equal(first.predict_cluster(x), model.predict_cluster(x))
    assert states_unchanged(first.G, second.G)  # the untrained G: the same in every process
