# frozen_string_literal: true

# The seed's Ruby sampler (seeds/002), as written there, completed with its two rates, and the
# policy that says the same: what the sentry-ruby test compares and the benchmark times.
module SeedSampler
  LAMBDA = lambda do |sampling_context|
    # transaction_context is the transaction object in hash form
    # keep in mind that sampling happens right after the transaction is initialized
    # e.g. at the beginning of the request
    transaction = sampling_context[:transaction_context]

    # if the transaction is important, set a higher rate
    if transaction[:name].match?("orders")
      0.5
    else
      # otherwise, give it a lower rate
      0.1
    end
  end

  # The seed's sampler as a policy.
  POLICY = {
    defaultRate: 0.1, parent: "ignore", genAi: false,
    rules: [{ id: "orders", when: { name: "*orders*" }, rate: 0.5 }]
  }.freeze
end
