# frozen_string_literal: true

require "minitest/autorun"

# A real Rack app behind Sentry::Rack::CaptureExceptions, served by WEBrick on 127.0.0.1,
# driven over loopback with Net::HTTP; what is kept is read from sentry-ruby's envelopes.
require_relative "sentry_helpers"
require "net/http"
require "rack"
require "rack/handler/webrick"
require "webrick"

class TestRack < Minitest::Test
  POLICY = {
    "defaultRate" => 0.0,
    "genAi" => { "routes" => ["/api/chat*"] },
    "rules" => [
      { "id" => "health", "when" => { "path" => ["/healthz", "/ready"] }, "rate" => 0, "overrideParent" => true },
      { "id" => "post-orders", "when" => { "method" => "POST", "path" => "/orders/*" }, "rate" => 1 },
      { "id" => "get-orders", "when" => { "method" => "GET", "path" => "/orders/*" }, "rate" => 0 },
      { "id" => "admin", "when" => { "path" => "/admin/*" }, "rate" => 1 }
    ]
  }.freeze

  TRACE_ID = "771a43a4192642f0b136d5159a501700"

  def setup
    @sampler = Tracesieve::TracesSampler.new(POLICY)
    SentryHelpers.init(traces_sampler: @sampler)
    echo = ->(env) { [200, { "content-type" => "text/plain" }, [env["PATH_INFO"]]] }
    app = Rack::Builder.new do
      # A mounted app with its own middleware: it sees SCRIPT_NAME "/admin", PATH_INFO "/users".
      map("/admin") do
        use Sentry::Rack::CaptureExceptions
        run echo
      end
      map("/") do
        use Sentry::Rack::CaptureExceptions
        run echo
      end
    end
    ready = Queue.new
    @thread = Thread.new do
      Rack::Handler::WEBrick.run(app, Host: "127.0.0.1", Port: 0, Logger: WEBrick::Log.new(File::NULL),
                                      AccessLog: []) { |server| ready << server }
    end
    @server = ready.pop
    @port = @server.listeners.first.addr[1]
  end

  def teardown
    @server&.shutdown
    @thread&.join(5)
  end

  def request(method, path, headers = {})
    Net::HTTP.start("127.0.0.1", @port) do |http|
      req = (method == "POST" ? Net::HTTP::Post : Net::HTTP::Get).new(path, headers)
      req.body = "{}" if method == "POST"
      response = http.request(req)
      assert_equal "200", response.code
    end
  end

  # The transactions sentry-ruby sent: [name, trace_id].
  def sent
    SentryHelpers.transactions.map { |t| [t["transaction"], t.dig("contexts", "trace", "trace_id")] }
  end

  def test_server_really_listens_on_loopback
    assert_equal "127.0.0.1", @server.listeners.first.addr[3]
    assert_operator @port, :>, 0
  end

  def test_health_dropped_chat_kept
    request("GET", "/healthz")
    request("GET", "/healthz", "sentry-trace" => "#{TRACE_ID}-b136d5159a501700-1")
    request("POST", "/api/chat")
    request("POST", "/api/chat/stream", "sentry-trace" => "#{TRACE_ID}-b136d5159a501700-0")
    assert_equal ["/api/chat", "/api/chat/stream"], sent.map(&:first)
    assert_equal 2, @sampler.stats.dig(:traces, :by_rule, "health")
    assert_equal 2, @sampler.stats.dig(:traces, :by_rule, "genAi")
  end

  def test_method_and_path_from_the_rack_env
    request("POST", "/orders/42")
    request("GET", "/orders/42")
    request("GET", "/orders/43?full=1")
    request("GET", "/admin/users") # mounted: SCRIPT_NAME /admin, PATH_INFO /users
    # sentry-ruby names a root by PATH_INFO; the policy's path is SCRIPT_NAME + PATH_INFO.
    assert_equal ["/orders/42", "/users"], sent.map(&:first)
    by_rule = @sampler.stats.dig(:traces, :by_rule)
    assert_equal [1, 2, 1], by_rule.values_at("post-orders", "get-orders", "admin")
  end

  def test_incoming_sentry_trace_sampled_flag_is_honoured
    request("GET", "/search", "sentry-trace" => "#{TRACE_ID}-b136d5159a501700-1")
    request("GET", "/search", "sentry-trace" => "#{TRACE_ID.reverse}-b136d5159a501700-0")
    request("GET", "/search")
    assert_equal [["/search", TRACE_ID]], sent
    stats = @sampler.stats[:traces]
    assert_equal [2, 1], stats[:by_reason].values_at("parent", "default")
    assert_equal 0, @sampler.stats[:fallbacks]
  end
end
