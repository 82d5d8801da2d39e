import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ParameterProblemDto {
  @ApiProperty({ example: 'limit' })
  parameter!: string;

  @ApiProperty({ example: 'must be a whole number from 1 to 500' })
  message!: string;
}

/** Every error response (ErrorBody): JSON, these keys only, never a stack trace. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'Invalid parameter: limit' })
  message!: string;

  @ApiPropertyOptional({
    type: [ParameterProblemDto],
    description: 'Only on 400 for bad query parameters: each one, named',
  })
  problems?: ParameterProblemDto[];
}
