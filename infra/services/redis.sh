# Redis: Debian's redis-server, run as our own instance (not the system
# service) with an append-only file under the data folder, so checkpoints of
# stateful stages survive a restart. Sourced; defines the redis_* functions.

redis_data_dir() { printf '%s/redis\n' "${SEXTANT_DATA_DIR}"; }
redis_port() { printf '%s\n' "${SEXTANT_REDIS_PORT}"; }
# redis-server rewrites its process title to "redis-server 127.0.0.1:<port>".
redis_marker() { printf 'redis-server 127.0.0.1:%s\n' "${SEXTANT_REDIS_PORT}"; }

redis_installed() { command -v redis-server >/dev/null && command -v redis-cli >/dev/null; }

redis_launch() {
  mkdir -p "$(redis_data_dir)"
  rotate_log "$(log_file redis)"
  spawn_service redis "$(command -v redis-server)" --port "${SEXTANT_REDIS_PORT}" --bind 127.0.0.1 \
    --dir "$(redis_data_dir)" --daemonize no --save "" --appendonly yes --logfile ""
}

redis_healthy() {
  [[ $(timeout 5 redis-cli -h 127.0.0.1 -p "${SEXTANT_REDIS_PORT}" ping 2>/dev/null) == PONG ]]
}
