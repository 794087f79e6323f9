import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DISCHARGE_DESTINATION_LABELS,
  DISCHARGE_DESTINATIONS,
  MOVER_LABELS,
  MOVERS,
  PROGRAMS,
  STEP_TABLES,
  TRANSITION_FIELD_SPECS,
  TRANSITION_FIELDS,
  transitionsOf,
  WITHDRAWAL_REASON_LABELS,
  WITHDRAWAL_REASONS,
  type Mover,
  type Program,
  type TransitionField,
} from './programs.js';

export class StepTableStepView {
  @ApiProperty({ example: 'granted' }) step: string;
  @ApiProperty({ example: '支給決定' }) label: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'Final step: the enrollment ends here' }) final: boolean;
  @ApiProperty({ description: 'The benefit is in use in this step: a benefit period may be renewed' }) benefitRunning: boolean;
  @ApiProperty({ type: [String], description: 'Steps it may move to' }) next: string[];
  @ApiProperty({ type: [String], enum: TRANSITION_FIELDS, description: 'Fields a move INTO this step must carry' }) requires: TransitionField[];
  @ApiProperty({ type: [String], enum: MOVERS, description: 'Who may record a move into this step' }) enteredBy: Mover[];
  @ApiProperty({ type: [String], enum: MOVERS, description: 'Who may record it on behalf of the municipality (audited as such)' })
  onBehalfOfMunicipalityBy: Mover[];
}

export class StepTableTransitionView {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [String], enum: TRANSITION_FIELDS }) requires: TransitionField[];
  @ApiProperty({ type: [String], enum: MOVERS }) enteredBy: Mover[];
  @ApiProperty({ type: [String], enum: MOVERS }) onBehalfOfMunicipalityBy: Mover[];
}

export class ProgramView {
  @ApiProperty({ enum: PROGRAMS }) program: Program;
  @ApiProperty({ example: '地域移行支援' }) label: string;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Longest benefit period (支給決定期間) in months; null: none' })
  benefitPeriodMaxMonths: number | null;
  @ApiProperty({ type: [String], enum: MOVERS, description: 'Who grants and renews benefit periods' }) benefitGrantedBy: Mover[];
  @ApiProperty({ type: [String], enum: MOVERS }) benefitOnBehalfOfMunicipalityBy: Mover[];
  @ApiProperty({ description: 'The step a new enrollment starts at' }) initialStep: string;
  @ApiProperty({ type: [StepTableStepView] }) steps: StepTableStepView[];
  @ApiProperty({ type: [StepTableTransitionView], description: 'Every allowed transition (the same facts as steps[].next, one row each)' })
  transitions: StepTableTransitionView[];
}

export class CodeLabelView {
  @ApiProperty() code: string;
  @ApiProperty() label: string;
  @ApiPropertyOptional() description?: string;
}

export class FieldSpecView {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['date', 'enum'] }) type: string;
  @ApiProperty() label: string;
  @ApiPropertyOptional({ type: [String] }) values?: string[];
}

export class TransitionFieldView {
  @ApiProperty({ enum: TRANSITION_FIELDS }) field: TransitionField;
  @ApiProperty() label: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [FieldSpecView] }) fields: FieldSpecView[];
}

/** GET /programs: the step tables as data, so clients draw their forms from them. */
export class ProgramsView {
  @ApiProperty({ type: [ProgramView] }) programs: ProgramView[];
  @ApiProperty({ type: [TransitionFieldView], description: 'What each required field holds' }) transitionFields: TransitionFieldView[];
  @ApiProperty({ type: [CodeLabelView], description: 'Who the movers in the tables are' }) movers: CodeLabelView[];
  @ApiProperty({ type: [CodeLabelView], description: 'Reasons for `withdrawn`' }) withdrawalReasons: CodeLabelView[];
  @ApiProperty({ type: [CodeLabelView], description: 'Discharge destinations (退院先)' }) dischargeDestinations: CodeLabelView[];

  static build(): ProgramsView {
    return {
      programs: PROGRAMS.map((program) => {
        const def = STEP_TABLES[program];
        return {
          program,
          label: def.label,
          description: def.description,
          benefitPeriodMaxMonths: def.benefitPeriodMaxMonths,
          benefitGrantedBy: [...def.benefitGrantedBy],
          benefitOnBehalfOfMunicipalityBy: [...def.benefitOnBehalfOfMunicipalityBy],
          initialStep: def.initial,
          steps: Object.entries(def.steps).map(([step, s]) => ({
            step,
            label: s.label,
            description: s.description,
            final: s.final === true,
            benefitRunning: s.benefitRunning === true,
            next: [...s.next],
            requires: [...s.requires],
            enteredBy: [...s.enteredBy],
            onBehalfOfMunicipalityBy: [...(s.onBehalfOfMunicipalityBy ?? [])],
          })),
          transitions: transitionsOf(program).map((t) => ({
            from: t.from,
            to: t.to,
            requires: [...t.requires],
            enteredBy: [...t.enteredBy],
            onBehalfOfMunicipalityBy: [...t.onBehalfOfMunicipalityBy],
          })),
        };
      }),
      transitionFields: TRANSITION_FIELDS.map((field) => ({
        field,
        label: TRANSITION_FIELD_SPECS[field].label,
        description: TRANSITION_FIELD_SPECS[field].description,
        fields: TRANSITION_FIELD_SPECS[field].fields.map((f) => ({ ...f, values: f.values ? [...f.values] : undefined })),
      })),
      movers: MOVERS.map((code) => ({ code, ...MOVER_LABELS[code] })),
      withdrawalReasons: WITHDRAWAL_REASONS.map((code) => ({ code, label: WITHDRAWAL_REASON_LABELS[code] })),
      dischargeDestinations: DISCHARGE_DESTINATIONS.map((code) => ({ code, label: DISCHARGE_DESTINATION_LABELS[code] })),
    };
  }
}
