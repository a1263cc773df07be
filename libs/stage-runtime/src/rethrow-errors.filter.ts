/**
 * Hands a batch handler's error to the Kafka batch transport unchanged. Nest's default RPC exception filter
 * replaces any error that is not an RpcException with `{ status: 'error', message: 'Internal server error' }`,
 * and the transport decides by the error's class what to do: a RefetchRequiredError (a transaction whose
 * outcome is unknown) must re-read the partition from the committed offset, never retry the same sub-batch,
 * or a transaction that did commit would be written a second time. Every stage's batch handler class carries
 * it (`@UseFilters(new RethrowErrorsFilter())`); registered globally on a hybrid application's microservice,
 * Nest does not apply it.
 */
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

@Catch()
export class RethrowErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
