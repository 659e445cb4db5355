extension CommandLine {
    public static let usage = """
        Usage: llama-smart-proxy [--config PATH] [--host HOST] [--port PORT] [--pid-file PATH]

        Serves an OpenAI-compatible API and routes each request, by its "model", to a pool of
        llama-server processes started on demand.

        Options:
          --config PATH   configuration file (default: config.json)
          --host HOST     address to listen on, overriding the configuration
          --port PORT     port to listen on (0 picks a free one), overriding the configuration
          --pid-file PATH file to write the proxy's pid to, overriding the configuration
          -h, --help      show this help and exit
          --version       show the versions (proxy, Swift, plugin ABI, the configuration's
                          llama-server) and exit

        Options also accept the --name=value form.
        """
}
