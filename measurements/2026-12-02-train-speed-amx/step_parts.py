"""Per step: forward, forward + backward and Adam alone, per precision (one thread)."""
import sys, time, torch
from vaeconcepts.model import VAE, elbo_terms
from vaeconcepts.step import make_optimizer
from vaeconcepts.precision import autocast
from vaeconcepts.seeds import generator
torch.set_num_threads(1)
def t(f, n=100):
    for _ in range(10): f()
    s=time.perf_counter()
    for _ in range(n): f()
    return round((time.perf_counter()-s)/n*1e3, 2)
for prec in sys.argv[1:]:
    torch.manual_seed(0)
    m = VAE(100, precision=prec)
    opt = make_optimizer(m, 5e-4)
    xb = torch.rand(100, 784)
    g = generator(0, "cpu")
    def fwd():
        with autocast(prec, "cpu"):
            lp, kl = elbo_terms(m, xb, g)
        return (-(lp-kl).sum()/100)
    def fwdbwd():
        opt.zero_grad(set_to_none=True)
        fwd().backward()
    def adam():
        opt.step()
    with torch.no_grad():
        print(prec, "fwd nograd", t(fwd))
    print(prec, "fwd", t(fwd), "fwd+bwd", t(fwdbwd), "adam", t(adam))
