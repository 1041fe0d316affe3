# frozen_string_literal: true

# A real sentry-ruby 5.3 client whose transport keeps the serialized envelopes instead of
# sending them: what the tests count is what sentry-ruby would have sent.
require_relative "test_helper"
require "sentry-ruby"

class RecordingTransport < Sentry::Transport
  @@sent = Queue.new # rubocop:disable Style/ClassVars (one client per process)

  def self.sent
    @@sent
  end

  # The items of every envelope sent so far, as [type, payload] pairs, emptying the record.
  def self.drain
    items = []
    items.concat(parse(@@sent.pop)) until @@sent.empty?
    items
  end

  def self.parse(data)
    lines = data.split("\n").drop(1)
    lines.each_slice(2).map { |header, payload| [JSON.parse(header)["type"], JSON.parse(payload)] }
  end

  def send_data(data, _options = {})
    @@sent << data
  end
end

module SentryHelpers
  DSN = "http://public@127.0.0.1:9/1"

  # Sentry.init with the recording transport, events sent synchronously.
  def self.init(**options)
    Sentry.init do |config|
      config.dsn = DSN
      config.transport.transport_class = RecordingTransport
      config.background_worker_threads = 0
      config.send_client_reports = false
      config.logger = Logger.new(nil)
      options.each { |k, v| config.public_send("#{k}=", v) }
    end
    RecordingTransport.drain
  end

  def self.transactions
    RecordingTransport.drain.select { |type, _| type == "transaction" }.map(&:last)
  end

  def self.events(items = RecordingTransport.drain)
    items.select { |type, _| type == "event" }.map(&:last)
  end
end
