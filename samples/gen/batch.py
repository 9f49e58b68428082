def generate(out, seed, pdf): raise NotImplementedError
