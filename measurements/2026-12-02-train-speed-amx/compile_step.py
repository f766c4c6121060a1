import time, torch, sys
from vaeconcepts.model import VAE, elbo_terms
from vaeconcepts.step import make_optimizer
from vaeconcepts.seeds import generator
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(0)
m = VAE(100)
opt = make_optimizer(m, 5e-4)
xs = torch.rand(12000, 784)
g = generator(0, "cpu")
def loss_fn(xb, eps):
    with torch.autocast("cpu", dtype=torch.bfloat16, cache_enabled=False):
        mu, logvar = m.encode(xb)
        mu, logvar = mu.float(), logvar.float()
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(-1)
        z = mu + (0.5 * logvar).exp() * eps
        logits = m.decode(z).float()
    log_px = -F.binary_cross_entropy_with_logits(logits, xb.expand(2, *xb.shape), reduction="none").sum(-1)
    return -(log_px.mean(0) - kl).sum() / len(xb)
cl = torch.compile(loss_fn) if sys.argv[1] == "compile" else loss_fn
def run(n):
    for i in range(n):
        xb = xs[i*100:(i+1)*100]
        eps = torch.randn((2, 100, 100), generator=g)
        opt.zero_grad(set_to_none=True)
        cl(xb, eps).backward()
        opt.step()
t=time.perf_counter(); run(20); print("warm", time.perf_counter()-t)
for r in range(3):
    t=time.perf_counter(); run(100); print("ms/step", (time.perf_counter()-t)*10)
