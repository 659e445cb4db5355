extension CommandLine {
    public static let usage = """
        Usage: llama-smart-proxy [--config PATH] [--host HOST] [--port PORT]

        Serves an OpenAI-compatible API and routes each request, by its "model", to a pool of
        llama-server processes started on demand.

        Options:
          --config PATH   configuration file (default: config.json)
          --host HOST     address to listen on, overriding the configuration
          --port PORT     port to listen on (0 picks a free one), overriding the configuration
          -h, --help      show this help and exit
          --version       show the version and exit

        Options also accept the --name=value form.
        """
}
