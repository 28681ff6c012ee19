#!/usr/bin/env bash
# Starts the Flink image's own entrypoint with tgstream's Flink settings. The image merges FLINK_PROPERTIES (one
# "key: value" per line) into conf/config.yaml; this feeds it flink/config.yaml (mounted read-only, so the image can
# still rewrite its own conf/config.yaml), followed by any FLINK_PROPERTIES the service sets itself.
set -euo pipefail
settings="$(grep -Ev '^[[:space:]]*(#|$)' /opt/tgstream/flink-config.yaml)"
FLINK_PROPERTIES="${settings}${FLINK_PROPERTIES:+$'\n'${FLINK_PROPERTIES}}"
export FLINK_PROPERTIES
exec /docker-entrypoint.sh "$@"
