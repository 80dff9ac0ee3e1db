// Deliberately invalid OpenCL C: ClBackendTest checks what a build failure reports.
__kernel void broken(__global float* out) {
    out[get_global_id(0)] = undeclared_identifier;
}
