import { HISTORY_ID } from '@cbme/contracts';
import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** An id in a path: a UUID when made here, or a short id a history import brought (HISTORY_ID); anything else is a 400. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !HISTORY_ID.test(value)) throw new BadRequestException('an id is 1 to 128 letters, digits or . _ : - (a UUID, or an imported id)');
    return value;
  }
}
