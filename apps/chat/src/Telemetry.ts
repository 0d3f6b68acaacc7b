/**
 * Telemetry export: when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (e.g. `http://127.0.0.1:4318`), the app's spans,
 * metrics (the SDK's `bevatel_*` counters, gauges and histograms) and logs go there over OTLP/HTTP JSON, through
 * `@effect/opentelemetry` — no OpenTelemetry SDK needed. Spans name route templates; no credential is exported.
 */
import * as Otlp from "@effect/opentelemetry/Otlp"
import { NodeHttpClient } from "@effect/platform-node"
import { Config, Effect, Layer, Option } from "effect"

/** Nothing without `OTEL_EXPORTER_OTLP_ENDPOINT`; with it, the OTLP exporter of traces, metrics and logs. */
export const layer = (serviceName: string): Layer.Layer<never> =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const endpoint = yield* Config.option(Config.string("OTEL_EXPORTER_OTLP_ENDPOINT"))
      if (Option.isNone(endpoint)) return Layer.empty
      const interval = yield* Config.withDefault(Config.duration("OTEL_EXPORT_INTERVAL"), "10 seconds")
      return Otlp.layerJson({
        baseUrl: endpoint.value,
        resource: { serviceName },
        metricsExportInterval: interval,
        tracerExportInterval: interval,
        loggerExportInterval: interval
      }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    }).pipe(Effect.orDie)
  )
