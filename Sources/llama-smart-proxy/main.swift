print("llama-smart-proxy")
