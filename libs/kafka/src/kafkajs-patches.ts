/** Installs Sextant's corrections to KafkaJS; imported (for this effect) before KafkaJS itself, by ./kafkajs. */
import { installAbortedTransactionsFilter } from './aborted-transactions.filter';

installAbortedTransactionsFilter();
