import numpy as np
import pytest
import torch
from scipy.stats import chisquare

from gan_bench.gans import DataSpec, create, list_variants
from gan_bench.gans.latent import hypercube_vertices
from gan_bench.gans.mdgan import SimplexLikelihood, simplex_vertices
from gan_bench.gans.priorgan import masked_indices, rank_scores, weighted_indices

POINTS = DataSpec((2,), 4)


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def fixed_batches(n=64, dim=2, classes=4, seed=0):
    g = gen(seed)
    x = torch.randn(n, dim, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    return lambda: (x, y)


# --- registry -----------------------------------------------------------------------


def test_registry_lists_every_variant_with_defaults():
    variants = list_variants()
    assert set(variants) == {"vanilla", "wgan-gp", "mmgan", "mdgan", "gmgan", "nemgan", "priorgan"}
    assert variants["mdgan"]["options"]["n_components"] == 8
    assert variants["priorgan"]["options"]["rate"] == 0.5
    assert variants["gmgan"]["options"]["z_dim"] == 100
    assert variants["wgan-gp"]["options"]["gp_weight"] == 10.0


def test_registry_rejects_unknown_names():
    with pytest.raises(ValueError, match="expected one of: vanilla, wgan-gp, mmgan"):
        create("infogan", {}, POINTS)
    with pytest.raises(ValueError, match="unknown option.*learning_rate.*valid options:.*n_components"):
        create("mdgan", {"learning_rate": 1}, POINTS)
    with pytest.raises(ValueError, match="option likelihood expects one of 'max', 'sum'; got 'mean'"):
        create("mdgan", {"likelihood": "mean"}, POINTS)


# --- NEMGAN ---------------------------------------------------------------------------


def test_nemgan_mode_frequencies_match_softmax_alpha():
    model = create("nemgan", {"n_modes": 4, "mode": "P", "labelled_fraction": 0.005}, POINTS)
    with torch.no_grad():
        model.prior.alpha.copy_(torch.tensor([0.0, 1.0, -1.0, 2.0]))
    _, modes, y = model.prior(40_000, gen(1))
    counts = np.bincount(modes.numpy(), minlength=4)
    p = torch.softmax(model.prior.alpha, 0).detach().double().numpy()
    expected = p / p.sum() * len(modes)
    assert chisquare(counts, expected).pvalue > 0.001
    # one-hot in value (up to float rounding of the straight-through sum)
    assert torch.allclose(y.detach(), torch.nn.functional.one_hot(modes, 4).float(), atol=1e-6)
    # a wrong prior (uniform) is rejected by the same test
    assert chisquare(counts, np.full(4, len(modes) / 4)).pvalue < 1e-6


def test_nemgan_alpha_receives_gradients():
    model = create("nemgan", {"n_modes": 4, "mode": "P"}, POINTS)
    y = model.prior.reparameterised_modes(torch.rand(2048, generator=gen(2)))
    target = torch.tensor([0.1, 0.2, 0.3, 0.4])
    loss = ((y.mean(0) - target) ** 2).sum()
    loss.backward()
    grad = model.prior.alpha.grad
    assert grad is not None and grad.abs().sum() > 0
    # the gradient points towards the target: the least frequent target mode's alpha goes down
    assert grad[0] > 0 > grad[3]


def test_nemgan_v_keeps_uniform_prior_fixed():
    model = create("nemgan", {"n_modes": 4}, POINTS)
    assert not model.prior.alpha.requires_grad
    model.train_step(fixed_batches(), gen())
    assert torch.equal(model.prior.alpha, torch.zeros(4))


def test_nemgan_s_uses_under_one_percent_labels():
    model = create("nemgan", {"n_modes": 4, "mode": "S", "labelled_fraction": 0.005}, POINTS)
    x = torch.randn(4000, 2)
    y = torch.arange(4000) % 4
    model.setup(x, y, gen())
    assert len(model.labelled_y) / len(y) < 0.01
    assert sorted(set(model.labelled_y.tolist())) == [0, 1, 2, 3]
    losses = model.train_step(fixed_batches(), gen())
    assert "sup" in losses
    with pytest.raises(ValueError, match="labelled_fraction"):
        create("nemgan", {"mode": "S", "labelled_fraction": 0.05}, POINTS)


def test_nemgan_h1_reconstructs_z_after_training():
    torch.manual_seed(0)
    model = create("nemgan", {"n_modes": 4, "z_dim": 4, "lr_g": 2e-3, "lr_d": 2e-3}, POINTS)
    g = gen(3)
    means = torch.tensor([[-2.0, -2.0], [-2.0, 2.0], [2.0, -2.0], [2.0, 2.0]])
    # spread within each mode, so the generator has to use the continuous noise nu2
    data = means[torch.randint(0, 4, (4096,), generator=g)] + 0.3 * torch.randn(4096, 2, generator=g)

    def batches():
        return data[torch.randint(0, len(data), (128,), generator=g)], None

    def errors():
        with torch.no_grad():
            z, modes = model.sample_latent(2000, gen(9))
            offsets = torch.nn.functional.one_hot(modes, 4).float() * model.config["offset"]
            reconstruction = float((z - model.h1(model.G(z))).norm(dim=1).mean())
            mode_only = float((z - offsets).norm(dim=1).mean())  # best inverter that knows only the mode
            return reconstruction, mode_only

    before, _ = errors()
    for _ in range(600):
        model.train_step(batches, g)
    after, mode_only = errors()
    assert after < 0.4 * before
    assert after < 0.8 * mode_only  # h1 recovers the continuous part of z, not just its mode


# --- MD-GAN ---------------------------------------------------------------------------


@pytest.mark.parametrize("c", [3, 8, 10])
def test_mdgan_simplex_vertices_pairwise_unit_distance(c):
    v = simplex_vertices(c)
    assert v.shape == (c, c - 1)
    d = torch.cdist(v.double(), v.double())
    off = d[~torch.eye(c, dtype=bool)]
    assert torch.allclose(off, torch.ones_like(off), atol=1e-6)
    assert torch.allclose(v.mean(0), torch.zeros(c - 1), atol=1e-6)


@pytest.mark.parametrize("reduce", ["max", "sum"])
def test_mdgan_lambda_is_the_maximum_of_lk(reduce):
    lk = SimplexLikelihood(simplex_vertices(8), 0.25, reduce)
    log_lambda = lk.max_log_lk()
    probes = torch.cat([torch.randn(5000, 7) * 0.6, simplex_vertices(8) + 0.01 * torch.randn(8, 7)])
    assert lk.log_lk(probes).max() <= log_lambda + 1e-5
    # and it is attained: gradient ascent from a vertex does not exceed it, and gets close
    e = (simplex_vertices(8)[:1] + 0.05).requires_grad_(True)
    opt = torch.optim.Adam([e], lr=0.01)
    for _ in range(500):
        opt.zero_grad()
        (-lk.log_lk(e)).sum().backward()
        opt.step()
    assert float(lk.log_lk(e.detach())) == pytest.approx(log_lambda, abs=1e-4)


def test_mdgan_model_lambda_uses_fake_variance():
    model = create("mdgan", {"var_real": 0.28, "var_fake": 0.25}, POINTS)
    assert model.log_lambda == pytest.approx(SimplexLikelihood(model.vertices, 0.25, "max").max_log_lk())
    assert model.lk_real.variance == 0.28


def test_mdgan_max_and_sum_differ_as_specified():
    v = simplex_vertices(8)
    lk_max = SimplexLikelihood(v, 0.25, "max")
    lk_sum = SimplexLikelihood(v, 0.25, "sum")
    e = torch.randn(200, 7) * 0.5
    comp = lk_max.component_log_density(e)
    assert torch.allclose(lk_max.log_lk(e), comp.max(1).values)
    assert torch.allclose(lk_sum.log_lk(e), torch.logsumexp(comp, 1), atol=1e-6)
    assert (lk_sum.log_lk(e) >= lk_max.log_lk(e)).all()
    # at the centroid every component is equally likely: sum = C * max
    centre = torch.zeros(1, 7)
    assert float(lk_sum.log_lk(centre) - lk_max.log_lk(centre)) == pytest.approx(np.log(8), abs=1e-5)
    # far out along one vertex the others vanish and the two agree
    far = v[:1] * 6
    assert float(lk_sum.log_lk(far) - lk_max.log_lk(far)) == pytest.approx(0.0, abs=1e-4)
    assert lk_sum.max_log_lk() > lk_max.max_log_lk()


# --- MMGAN ----------------------------------------------------------------------------


def test_mmgan_initial_means_are_distinct_hypercube_vertices():
    torch.manual_seed(5)
    model = create("mmgan", {"n_clusters": 10, "z_dim": 6}, POINTS)
    means = model.prior.mu.weight.T.detach()
    assert set(means.abs().flatten().tolist()) == {1.0}
    assert len({tuple(m.tolist()) for m in means}) == 10
    with pytest.raises(ValueError, match="dim >= 4"):
        hypercube_vertices(10, 3, gen())


def test_mmgan_sigma_never_below_bound():
    model = create("mmgan", {"n_clusters": 4, "sigma_min": 0.1}, POINTS)
    with torch.no_grad():
        model.prior.sigma.weight.copy_(torch.tensor([[-3.0, 0.05, 0.5, 2.0]]))
    _, sigma = model.prior.params(torch.arange(4))
    assert torch.allclose(sigma.squeeze(1), torch.tensor([0.1, 0.1, 0.5, 2.0]))
    with pytest.raises(ValueError, match="sigma_init"):
        create("mmgan", {"n_clusters": 4, "sigma_init": 1.5}, POINTS)


def clusters_drawn(monkeypatch, model) -> list:
    """The clusters of each call of the MMGAN latent, in order (B1, then B2)."""
    seen = []
    original = model.prior.forward

    def spy(clusters, rng, scale=1.0):
        seen.append(clusters.clone())
        return original(clusters, rng, scale)

    monkeypatch.setattr(model.prior, "forward", spy)
    return seen


def test_mmgan_b1_fakes_use_argmax_encoder_of_paired_reals(monkeypatch):
    model = create("mmgan", {"n_clusters": 4, "loss": "crasgan"}, POINTS)
    real, _ = fixed_batches()()
    expected = model.E(real).argmax(1)
    seen = clusters_drawn(monkeypatch, model)
    model.train_step(lambda: (real, None), gen())
    assert torch.equal(seen[0], expected)  # B1: paired with argmax E(x)
    assert not torch.equal(seen[1], expected)  # B2: drawn from the prior


def test_mmgan_no_pairing_ablation_draws_b1_clusters_from_the_prior(monkeypatch):
    """Table 2's "no pairings": B1 fakes come from uniformly drawn clusters, not argmax E."""
    model = create("mmgan", {"n_clusters": 4, "loss": "crasgan", "pairing": False}, POINTS)
    real = torch.randn(512, 2)
    monkeypatch.setattr(model, "encoder_clusters", lambda x: pytest.fail("no pairing must not ask E"))
    seen = clusters_drawn(monkeypatch, model)
    model.train_step(lambda: (real, None), gen())
    counts = torch.bincount(seen[0], minlength=4)
    assert counts.min() > 80  # about 128 each: uniform over the 4 clusters


def test_mmgan_b2_cross_entropy_reaches_encoder():
    model = create("mmgan", {"n_clusters": 4}, POINTS)
    before = [p.detach().clone() for p in model.E.parameters()]
    losses = model.train_step(fixed_batches(), gen())
    assert losses["ce"] > 0
    changed = [not torch.equal(b, p) for b, p in zip(before, model.E.parameters())]
    assert all(changed)
    # with lambda = 0 the encoder gets no gradient at all
    model0 = create("mmgan", {"n_clusters": 4, "lambda_ce": 0.0}, POINTS)
    before0 = [p.detach().clone() for p in model0.E.parameters()]
    model0.train_step(fixed_batches(), gen())
    assert all(torch.equal(b, p) for b, p in zip(before0, model0.E.parameters()))


@pytest.mark.parametrize("loss", ["sgan", "rsgan", "crasgan"])
def test_mmgan_losses_differ(loss):
    from gan_bench.gans.losses import group_means

    model = create("mmgan", {"n_clusters": 2, "loss": loss}, POINTS)
    r = torch.tensor([1.0, 2.0, 3.0, 4.0])
    f = torch.tensor([0.0, 1.0, 0.5, -1.0])
    clusters = torch.tensor([0, 0, 1, 1])
    d, g = model.pair_losses(r, f, clusters)
    if loss == "crasgan":
        fake_avg = group_means(f, clusters, 2)
        assert torch.allclose(fake_avg, torch.tensor([0.5, 0.5, -0.25, -0.25]))
        real_avg = group_means(r, clusters, 2)
        expected = (
            torch.nn.functional.softplus(-(r - fake_avg)).mean()
            + torch.nn.functional.softplus(f - real_avg).mean()
        )
        assert torch.allclose(d, expected)
    elif loss == "rsgan":
        assert torch.allclose(d, torch.nn.functional.softplus(-(r - f)).mean())
    else:
        assert torch.allclose(
            d, torch.nn.functional.softplus(-r).mean() + torch.nn.functional.softplus(f).mean()
        )


# --- GM-GAN ---------------------------------------------------------------------------


def test_gmgan_static_means_stay_fixed():
    model = create("gmgan", {"n_gaussians": 4}, POINTS)
    mu = model.prior.mu.clone()
    assert (mu.abs() <= 0.1).all()
    for _ in range(3):
        model.train_step(fixed_batches(), gen())
    assert torch.equal(model.prior.mu, mu)
    assert "prior.mu" not in dict(model.named_parameters())


@pytest.mark.parametrize("covariance", ["diagonal", "full"])
def test_gmgan_dynamic_mu_and_a_receive_gradients(covariance):
    model = create(
        "gmgan", {"n_gaussians": 4, "mixture": "dynamic", "covariance": covariance, "z_dim": 8}, POINTS
    )
    mu, a = model.prior.mu.detach().clone(), model.prior.A.detach().clone()
    model.train_step(fixed_batches(), gen())
    assert model.prior.mu.grad is not None and model.prior.mu.grad.abs().sum() > 0
    assert model.prior.A.grad is not None and model.prior.A.grad.abs().sum() > 0
    assert not torch.equal(mu, model.prior.mu) and not torch.equal(a, model.prior.A)


def test_gmgan_sigma_scale_changes_sample_spread():
    model = create("gmgan", {"n_gaussians": 4}, POINTS)
    z1, m1 = model.sample_latent(20000, gen(1), mode=2, scale=1.0)
    z4, _ = model.sample_latent(20000, gen(1), mode=2, scale=4.0)
    assert (m1 == 2).all()
    assert float((z4 - model.prior.mu[2]).std() / (z1 - model.prior.mu[2]).std()) == pytest.approx(
        2.0, rel=0.02
    )
    assert float((z1 - model.prior.mu[2]).std()) == pytest.approx(np.sqrt(0.15), rel=0.02)
    x1, _ = model.sample(3000, mode=1, scale=0.25, seed=0)
    x2, _ = model.sample(3000, mode=1, scale=2.0, seed=0)
    assert float(x2.std(0).sum()) > float(x1.std(0).sum())


def test_gmgan_supervised_losses_follow_section_2():
    from gan_bench.gans.gmgan import GMGAN

    logits = torch.tensor([[2.0, -1.0, 0.5]])
    p = torch.sigmoid(logits)[0]
    real = GMGAN.supervised_real_loss(logits, torch.tensor([0]))
    assert float(real) == pytest.approx(
        float(-torch.log(p[0]) - torch.log(1 - p[1]) - torch.log(1 - p[2])), rel=1e-6
    )
    fake = GMGAN.supervised_fake_loss(logits)
    assert float(fake) == pytest.approx(float(-torch.log(1 - p).sum()), rel=1e-6)
    model = create("gmgan", {"supervised": True, "n_gaussians": 8}, DataSpec((2,), 4))
    assert model.D(torch.zeros(1, 2)).shape == (1, 4)
    assert model.target_class(torch.tensor([0, 3, 4, 7])).tolist() == [0, 3, 0, 3]


def test_gmgan_algorithm2_clusters_generated_modes():
    torch.manual_seed(0)
    model = create(
        "gmgan",
        {"n_gaussians": 3, "cluster_samples": 200, "cluster_steps": 300, "z_dim": 2, "c": 3.0},
        POINTS,
    )
    model.G = torch.nn.Identity()  # a generator that keeps the Gaussians apart
    model.fit_cluster_head(gen())
    x, modes = model.sample(600, seed=4)
    predicted = model.predict_cluster(x)
    # the classifier was trained to recover the Gaussian each sample came from
    assert (predicted == modes).float().mean() > 0.9
    assert bool(model.cluster_head_fitted)


# --- masked / weighted prior --------------------------------------------------------


def test_priorgan_masked_keeps_exactly_top_fraction():
    scores = torch.rand(1000, generator=gen(4))
    idx = masked_indices(scores, 0.3, 20000, gen(5))
    kept = set(idx.tolist())
    top = set(torch.topk(scores, 300).indices.tolist())
    assert kept == top  # every one of the top 30% is drawn, nothing else
    threshold = torch.quantile(scores, 0.7)
    assert (scores[idx] >= threshold).all()
    counts = np.bincount(idx.numpy(), minlength=1000)[sorted(top)]
    assert chisquare(counts).pvalue > 0.001  # uniform among the kept


def test_priorgan_weighted_frequencies_proportional_to_scores():
    scores = torch.tensor([0.1, 0.2, 0.3, 0.4])
    idx = weighted_indices(scores, 50_000, gen(6))
    counts = np.bincount(idx.numpy(), minlength=4)
    p = scores.double().numpy()
    assert chisquare(counts, p / p.sum() * len(idx)).pvalue > 0.001
    assert chisquare(counts, np.full(4, len(idx) / 4)).pvalue < 1e-6
    with pytest.raises(ValueError, match="positive"):
        weighted_indices(torch.tensor([0.0, 1.0]), 5, gen())


def test_priorgan_wgan_scores_are_monotone_in_unit_interval():
    values = torch.tensor([3.0, -10.0, 0.5, 100.0])
    s = rank_scores(values)
    assert s.tolist() == [0.75, 0.25, 0.5, 1.0]
    model = create("priorgan", {"base_loss": "wgan", "presample": 50}, POINTS)
    z = torch.randn(50, model.config["z_dim"])
    sc = model.scores(z)
    assert (sc > 0).all() and (sc <= 1).all()


def test_priorgan_prior_is_used_for_training_latents(monkeypatch):
    model = create("priorgan", {"prior": "masked", "rate": 0.5, "presample": 100}, POINTS)
    calls = []
    original = model.prior_latents

    def spy(m, rng, scale=1.0):
        calls.append(m)
        return original(m, rng, scale)

    monkeypatch.setattr(model, "prior_latents", spy)
    model.train_step(fixed_batches(n=32), gen())
    assert calls == [32]
    drawn = []
    original_distinct = model.distinct_prior_latents
    monkeypatch.setattr(
        model,
        "distinct_prior_latents",
        lambda n, rng, scale=1.0: drawn.append(n) or original_distinct(n, rng, scale),
    )
    x, _ = model.sample(10, seed=0)
    assert drawn == [10] and calls == [32]  # generation goes through the prior, without repeats


# --- every variant --------------------------------------------------------------------


def test_sample_interface_checks():
    model = create("vanilla", {}, POINTS)
    a, modes = model.sample(5, seed=1)
    assert modes is None and torch.equal(a, model.sample(5, seed=1)[0])
    with pytest.raises(ValueError, match="no latent modes"):
        model.sample(5, mode=0)
    mm = create("mmgan", {"n_clusters": 4}, POINTS)
    _, m = mm.sample(8, mode=3, seed=0)
    assert (m == 3).all()
    with pytest.raises(ValueError, match="expected 0..3"):
        mm.sample(5, mode=4)
    with pytest.raises(TypeError, match="does not cluster"):
        model.predict_cluster(torch.zeros(3, 2))


@pytest.mark.parametrize("channels", [1, 3])
def test_image_samples_are_in_unit_range(channels):
    for variant in ("vanilla", "nemgan", "mdgan"):
        model = create(variant, {"z_dim": 16}, DataSpec((channels, 28, 28), 10))
        x, _ = model.sample(4, seed=0)
        assert x.shape == (4, channels, 28, 28) and float(x.min()) >= 0 and float(x.max()) <= 1
        assert model.D(torch.zeros(2, channels, 28, 28)).shape[0] == 2


def test_unseeded_sampling_leaves_the_global_generator_alone():
    model = create("vanilla", {}, POINTS)
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    a, _ = model.sample(4)
    b, _ = model.sample(4)
    assert torch.equal(torch.rand(3), expected)
    assert not torch.equal(a, b)  # unseeded draws differ


@pytest.mark.parametrize(
    "key",
    [
        "mnist/mnist5k/mmgan-crasgan/seed0",
        "mnist/mnist5k/nemgan-P/seed0",
        "mnist/mnist5k/gmgan-dynamic/seed0",
    ],
)
def test_clusters_come_in_bounded_batches_without_gradients_and_equal_one_batch(key, monkeypatch):
    from gan_bench.bench.models import load_reference
    from gan_bench.data import load
    from gan_bench.gans import base

    model = load_reference(key)
    x = load("mnist5k", "test").samples[:23]
    whole = model.predict_cluster(x)
    monkeypatch.setattr(base, "PREDICT_BATCH", 5)
    batched = model.predict_cluster(x)
    assert torch.equal(whole, batched) and len(batched) == 23 and not batched.requires_grad
    assert len(model.predict_cluster(x[:0])) == 0
